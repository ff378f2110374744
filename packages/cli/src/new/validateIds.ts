/** Why each reserved plugin id is refused by `backplane new`. */
export const RESERVED_PLUGIN_IDS: ReadonlyMap<string, string> = new Map([
  ['api', "the backend would serve it at '/api/api'"],
  ['app', 'it is the id of the app plugin that serves the frontend'],
  ['backend', "it names the backend package itself and would give 'backend-backend'"],
  ['backplane', 'it is the name of the framework'],
  ['backstage', 'it is the name of the framework Backplane is compatible with'],
  ['core', "service ids starting with 'core.' belong to the framework"],
  ['root', 'it names the root scope of services'],
  ['plugin', "it is too generic and gives 'plugin-plugin-backend'"],
  ['module', 'it is too generic and names backend modules'],
]);

/**
 * The longest plugin or module id `backplane new` accepts. The backend names a plugin's PostgreSQL
 * database `backstage_plugin_<pluginId>` by default, and PostgreSQL allows 63 bytes: 46 are left.
 */
export const MAX_ID_LENGTH = 46;

const LENGTH_REASONS: Record<IdKind, string> = {
  'plugin id':
    `at most ${MAX_ID_LENGTH} fit, since the backend names the plugin's PostgreSQL database ` +
    "'backstage_plugin_<pluginId>' and PostgreSQL allows 63",
  'module id': `module ids have the limit of plugin ids, ${MAX_ID_LENGTH} characters`,
};

const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ID_RULE = 'use lowercase letters, digits and single dashes, starting with a letter';

/** What kind of id is checked; used in messages. */
export type IdKind = 'plugin id' | 'module id';

/** The result of checking an id: `undefined` when it is fine. */
export interface IdProblem {
  message: string;
  fix: string;
  /** True when no id was given at all: a usage error rather than a bad id. */
  isUsageError?: boolean;
}

/** Options of {@link checkPluginId}. */
export interface PluginIdOptions {
  /** The id names the plugin a new module extends, which may have a reserved id. */
  forModule?: boolean;
}

const GENERIC_FIX = "for example 'example' or 'my-tools'";

/**
 * Checks a plugin id for `backplane new`; returns the problem, or `undefined` when it is valid.
 * Reserved ids are refused for new plugins but accepted as the plugin a new module extends.
 * An id the fix proposes always passes this check itself.
 */
export function checkPluginId(id: string, options: PluginIdOptions = {}): IdProblem | undefined {
  const formatProblem = checkIdFormat('plugin id', id, candidate =>
    proposePluginId(candidate, options),
  );
  if (formatProblem) {
    return formatProblem;
  }
  if (id.endsWith('-backend')) {
    return {
      message: `plugin id '${id}' ends with '-backend', which the folder and package name add`,
      fix: proposePluginId(id.slice(0, -'-backend'.length), options),
    };
  }
  if (id.startsWith('plugin-')) {
    return {
      message: `plugin id '${id}' starts with 'plugin-', which the package name adds`,
      fix: proposePluginId(id.slice('plugin-'.length), options),
    };
  }
  const reason = RESERVED_PLUGIN_IDS.get(id);
  if (reason && !options.forModule) {
    return { message: `plugin id '${id}' is reserved: ${reason}`, fix: proposeInsteadOf(id) };
  }
  return undefined;
}

/** Checks a module id for `backplane new`; returns the problem, or `undefined` when it is valid. */
export function checkModuleId(id: string): IdProblem | undefined {
  return checkIdFormat('module id', id, candidate =>
    candidate !== undefined && ID_PATTERN.test(candidate) ? `use '${candidate}'` : GENERIC_FIX,
  );
}

/**
 * The fix that proposes `candidate`, cleaned of the '-backend' and 'plugin-' that the package name
 * adds. A candidate that is reserved gets an example of a longer id instead, and one that still
 * would not pass gets the generic examples: a fix never proposes an id that is refused.
 */
function proposePluginId(candidate: string | undefined, options: PluginIdOptions): string {
  if (candidate === undefined) {
    return GENERIC_FIX;
  }
  let id = candidate;
  while (id.endsWith('-backend')) {
    id = id.slice(0, -'-backend'.length);
  }
  while (id.startsWith('plugin-')) {
    id = id.slice('plugin-'.length);
  }
  if (RESERVED_PLUGIN_IDS.has(id) && !options.forModule) {
    return `'${id}' is reserved: ${proposeInsteadOf(id)}`;
  }
  return isAcceptedPluginId(id, options) ? `use '${id}'` : GENERIC_FIX;
}

function proposeInsteadOf(reservedId: string): string {
  const longer = `${reservedId}-tools`;
  const example = isAcceptedPluginId(longer, {}) ? longer : 'my-tools';
  return `choose an id that names what the plugin does, for example '${example}'`;
}

/** The same decision as {@link checkPluginId}, without working out a fix. */
function isAcceptedPluginId(id: string, options: PluginIdOptions): boolean {
  return (
    id.length > 0 &&
    id.length <= MAX_ID_LENGTH &&
    ID_PATTERN.test(id) &&
    !id.endsWith('-backend') &&
    !id.startsWith('plugin-') &&
    (options.forModule === true || !RESERVED_PLUGIN_IDS.has(id))
  );
}

function checkIdFormat(
  kind: IdKind,
  id: string,
  propose: (candidate: string | undefined) => string,
): IdProblem | undefined {
  if (id === '') {
    const option = kind === 'plugin id' ? 'pluginId' : 'moduleId';
    return {
      message: `no ${kind} given`,
      fix: `pass one with --option ${option}=<id>, for example --option ${option}=example`,
      isUsageError: true,
    };
  }
  if (id.length > MAX_ID_LENGTH) {
    const shown = id.length > 24 ? `${id.slice(0, 24)}…` : id;
    return {
      message: `${kind} '${shown}' is ${id.length} characters long; ${LENGTH_REASONS[kind]}`,
      fix: `choose an id of at most ${MAX_ID_LENGTH} characters`,
    };
  }
  if (ID_PATTERN.test(id)) {
    return undefined;
  }
  return { message: `${kind} '${id}' is not valid: ${ID_RULE}`, fix: propose(suggestId(id)) };
}

/**
 * Turns `MyPlugin`, `my plugin` or `my_plugin` into `my-plugin`; `undefined` if nothing is left.
 */
export function suggestId(id: string): string | undefined {
  const suggestion = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return ID_PATTERN.test(suggestion) ? suggestion : undefined;
}
