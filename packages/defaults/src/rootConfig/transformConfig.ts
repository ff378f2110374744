import type { JsonObject, JsonValue } from '@backplane/plugin-api';
import { readPath } from './mergeConfig';
import { configFileError, isUrl, parseConfigText, resolveLocation } from './parseConfigText';

/** What the transform needs from the outside world, and what it records while it runs. */
export interface TransformContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a file path or URL as UTF-8 text. */
  readText(location: string): Promise<string>;
  /** Collects every value produced by `$env` and `$file`. */
  secrets: Set<string>;
  /** Collects every location read, so a watcher can follow `$file` and `$include` targets. */
  locations: Set<string>;
}

type Path = ReadonlyArray<string | number>;

const DIRECTIVES = ['$env', '$file', '$include'] as const;
type Directive = (typeof DIRECTIVES)[number];

/** `${NAME}` substitutes an environment variable; `$${` stands for a literal `${`. */
const SUBSTITUTION = /\$?\$\{([^{}]*)\}/g;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out || '<root>';
}

/**
 * Substitutes `${VAR}` references in one string. If any referenced variable is unset, the whole
 * value is `undefined`, so the key reads as absent.
 */
export function substituteEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const result = text.replace(SUBSTITUTION, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    const value = env[name.trim()];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : result;
}

/**
 * Resolves the dynamic parts of the data read from one config file: `${VAR}` in strings and the
 * `$env`, `$file` and `$include` directives. A key whose value resolves to nothing is dropped.
 *
 * @param location - the file or URL the data came from; relative paths resolve against it
 */
export async function transformConfig(
  data: unknown,
  location: string,
  context: TransformContext,
): Promise<JsonValue | undefined> {
  return transformValue(data, [], { location, chain: [location] }, context);
}

interface Origin {
  location: string;
  /** Files being included, outermost first, to stop include cycles. */
  chain: string[];
}

async function transformValue(
  value: unknown,
  path: Path,
  origin: Origin,
  context: TransformContext,
): Promise<JsonValue | undefined> {
  if (typeof value === 'string') return substituteEnv(value, context.env);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const [index, item] of value.entries()) {
      const resolved = await transformValue(item, [...path, index], origin, context);
      if (resolved !== undefined) items.push(resolved);
    }
    return items;
  }
  if (!isObject(value)) {
    const detail = `unsupported value of type ${typeof value} at '${formatPath(path)}'`;
    throw configFileError(origin.location, detail);
  }

  const directive = DIRECTIVES.find(name => Object.hasOwn(value, name));
  if (directive) return applyDirective(directive, value, path, origin, context);

  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = await transformValue(item, [...path, key], origin, context);
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

async function applyDirective(
  directive: Directive,
  value: JsonObject,
  path: Path,
  origin: Origin,
  context: TransformContext,
): Promise<JsonValue | undefined> {
  const where = `'${directive}' at '${formatPath(path)}'`;
  if (Object.keys(value).length !== 1) {
    const detail = `${where} must be the only key of its object; move the other keys elsewhere`;
    throw configFileError(origin.location, detail);
  }
  const argument = value[directive];
  if (typeof argument !== 'string' || argument === '') {
    throw configFileError(origin.location, `${where} must be a non-empty string`);
  }

  if (directive === '$env') {
    const resolved = context.env[argument];
    if (resolved !== undefined) context.secrets.add(resolved);
    return resolved;
  }

  const [target, fragment] = directive === '$include' ? argument.split('#', 2) : [argument];
  const location = resolveLocation(origin.location, target);
  const text = await readLocation(location, where, origin, context);

  if (directive === '$file') {
    context.secrets.add(text);
    return text;
  }

  if (origin.chain.includes(location)) {
    const cycle = [...origin.chain, location].join("' -> '");
    throw configFileError(origin.location, `${where} includes itself: '${cycle}'`);
  }
  let included = parseConfigText(text, location) as JsonValue | undefined;
  if (fragment) {
    included = readPath(included ?? undefined, fragment);
    if (included === undefined) {
      const detail = `${where}: '${location}' has no value at '${fragment}'`;
      throw configFileError(origin.location, detail);
    }
  }
  const next = { location, chain: [...origin.chain, location] };
  return transformValue(included, path, next, context);
}

async function readLocation(
  location: string,
  where: string,
  origin: Origin,
  context: TransformContext,
): Promise<string> {
  context.locations.add(location);
  try {
    return await context.readText(location);
  } catch (error) {
    const kind = isUrl(location) ? 'fetch' : 'read';
    const reason = (error as Error).message;
    throw configFileError(
      origin.location,
      `${where}: cannot ${kind} '${location}': ${reason}`,
      error,
    );
  }
}
