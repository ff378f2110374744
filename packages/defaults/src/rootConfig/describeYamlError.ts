import type * as Yaml from 'yaml';

type YamlModule = typeof Yaml;
type CollectionItem = Yaml.CST.CollectionItem;
type Token = Yaml.CST.Token;

/** An unclosed quote or bracket that the parser may only notice further down the file. */
interface Unclosed {
  offset: number;
  /** What is wrong and the fix, e.g. `the opening " is never closed; add the closing " …`. */
  detail: string;
}

/** Fixes for the `yaml` error codes a hand-edited config file most often hits. */
const FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'remove or rename one of the two keys',
  BAD_INDENT: 'indent the keys of one mapping by the same number of spaces',
  BLOCK_AS_IMPLICIT_KEY: 'indent the keys of one mapping by the same number of spaces',
  MULTILINE_IMPLICIT_KEY: 'indent the keys of one mapping by the same number of spaces',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
};

/**
 * Describes a YAML syntax error as `line <n>, column <m> (at '<key>'): <reason>; <fix>`, pointing
 * at where the problem starts: an unclosed quote or bracket is reported where it opens, not where
 * the parser gave up (often the end of the file). The key is the one at the position (`at`), the
 * one before it (`after`), or the one whose value is unclosed (`in the value of`). Only keys are
 * named, never values, since a value may be a secret.
 */
export function describeYamlError(
  yaml: YamlModule,
  error: Yaml.YAMLParseError,
  text: string,
): string {
  const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const reported = error.pos[0];
  const items = listItems(yaml, text);
  const unclosed = findUnclosed(items, reported);
  if (unclosed) {
    const key = keyAt(items, unclosed.offset);
    const where = key ? ` (in the value of '${key.key}')` : '';
    return `${position(text, unclosed.offset)}${where}: ${unclosed.detail}`;
  }

  const key = keyAt(items, reported);
  const where = key ? ` (${key.offset === reported ? 'at' : 'after'} '${key.key}')` : '';
  const fix = FIXES[error.code] ?? 'correct the YAML there';
  return `${position(text, reported)}${where}: ${reason}; ${fix}`;
}

interface VisitedItem {
  item: CollectionItem;
  /** The key from the top of the file, e.g. `backend.listen[0]`; empty when it has no name. */
  key: string;
  /** Where the item starts: its key, else its value. */
  offset: number;
}

/**
 * Every mapping entry and list item of the file, in document order, with its key. The tree of a
 * broken file can be odd, so a failure here leaves the error at the parser's position.
 */
function listItems(yaml: YamlModule, text: string): VisitedItem[] {
  try {
    return visitItems(yaml, text);
  } catch {
    return [];
  }
}

function visitItems(yaml: YamlModule, text: string): VisitedItem[] {
  const { CST, Parser } = yaml;
  const found: VisitedItem[] = [];
  for (const document of new Parser().parse(text)) {
    if (document.type !== 'document') continue;
    const keys: string[] = [];
    CST.visit(document, (item, path) => {
      if (path.length === 0) return;
      const parent = CST.visit.parentCollection(document, path);
      keys.length = path.length - 1;
      keys.push(keySegment(yaml, parent, item, path[path.length - 1][1]));
      const start = item.key ?? item.value;
      // A key the parser ran across lines is a symptom of the error, not a key the user wrote.
      const brokenKey = item.key && 'source' in item.key && item.key.source.includes('\n');
      if (start && 'offset' in start && !brokenKey) {
        found.push({ item, key: keys.join('').replace(/^\./, ''), offset: start.offset });
      }
    });
  }
  return found;
}

function keySegment(yaml: YamlModule, parent: Token, item: CollectionItem, index: number): string {
  const isMap =
    parent.type === 'block-map' ||
    (parent.type === 'flow-collection' && parent.start.source === '{');
  if (!isMap) return `[${index}]`;
  const key = item.key ? yaml.CST.resolveAsScalar(item.key) : null;
  return key ? `.${key.value}` : '';
}

/** The quoted value or flow collection that opens before `offset` and is still open there. */
function findUnclosed(items: VisitedItem[], offset: number): Unclosed | undefined {
  let found: Unclosed | undefined;
  for (const { item } of items) {
    const token = item.value;
    if (!token || token.offset >= offset) continue;
    if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      const quote = token.source[0];
      const closed = token.source.length > 1 && token.source.endsWith(quote);
      if (!closed && token.offset + token.source.length >= offset) {
        const detail =
          `the opening ${quote} is never closed; ` +
          `add the closing ${quote} at the end of the value`;
        found = { offset: token.offset, detail };
      }
    } else if (token.type === 'flow-collection') {
      const [open, close, kind] =
        token.start.source === '[' ? ['[', ']', 'list'] : ['{', '}', 'mapping'];
      if (!token.end.some(end => end.source === close)) {
        const detail =
          `the ${open} that opens the ${kind} is never closed; ` +
          `add the closing ${close} after its last item`;
        found = { offset: token.offset, detail };
      }
    }
  }
  return found;
}

/** The innermost named item that starts at or before `offset`. */
function keyAt(items: VisitedItem[], offset: number): VisitedItem | undefined {
  let found: VisitedItem | undefined;
  for (const item of items) {
    if (item.offset > offset) break;
    if (item.key) found = item;
  }
  return found;
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}
