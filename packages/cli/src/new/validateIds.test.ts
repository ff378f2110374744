import { describe, expect, it } from 'vitest';
import {
  checkModuleId,
  checkPluginId,
  MAX_ID_LENGTH,
  RESERVED_PLUGIN_IDS,
  suggestId,
} from './validateIds';

describe('checkPluginId', () => {
  it.each(['example', 'my-tools', 'a1', 'oauth2-proxy'])('should accept %s', id => {
    expect(checkPluginId(id)).toBeUndefined();
  });

  it.each(['Example', 'my_tools', 'my--tools', '-x', 'x-', '1x', 'my tools', 'ünicode'])(
    'should refuse %s',
    id => {
      expect(checkPluginId(id)?.message).toBe(
        `plugin id '${id}' is not valid: use lowercase letters, digits and single dashes, starting with a letter`,
      );
    },
  );

  it('should refuse every reserved id for a plugin but not for the plugin of a module', () => {
    for (const id of RESERVED_PLUGIN_IDS.keys()) {
      expect(checkPluginId(id)?.message).toMatch(new RegExp(`^plugin id '${id}' is reserved: `));
      expect(checkPluginId(id, { forModule: true })).toBeUndefined();
    }
  });

  it('should accept ids up to the PostgreSQL limit of 46 characters and refuse longer ones', () => {
    const longest = `a${'-b'.repeat(22)}c`;

    expect(MAX_ID_LENGTH).toBe(63 - 'backstage_plugin_'.length);
    expect(longest).toHaveLength(46);
    expect(checkPluginId(longest)).toBeUndefined();
    expect(checkPluginId(`${longest}d`)).toEqual({
      message: `plugin id 'a-b-b-b-b-b-b-b-b-b-b-b-…' is 47 characters long; at most 46 fit, since the backend names the plugin's PostgreSQL database 'backstage_plugin_<pluginId>' and PostgreSQL allows 63`,
      fix: 'choose an id of at most 46 characters',
    });
    expect(checkModuleId('m'.repeat(47))?.message).toBe(
      "module id 'mmmmmmmmmmmmmmmmmmmmmmmm…' is 47 characters long; module ids have the limit of plugin ids, 46 characters",
    );
  });

  it.each([
    [
      'Backstage',
      "'backstage' is reserved: choose an id that names what the plugin does, for example 'backstage-tools'",
    ],
    [
      'API',
      "'api' is reserved: choose an id that names what the plugin does, for example 'api-tools'",
    ],
    [
      'api-backend',
      "'api' is reserved: choose an id that names what the plugin does, for example 'api-tools'",
    ],
    [
      'plugin-core',
      "'core' is reserved: choose an id that names what the plugin does, for example 'core-tools'",
    ],
    ['plugin', "choose an id that names what the plugin does, for example 'my-tools'"],
    ['TodoBackend', "use 'todo'"],
    [
      'plugin-backend',
      "'plugin' is reserved: choose an id that names what the plugin does, for example 'my-tools'",
    ],
  ])('should not propose a reserved or refused id for %s', (id, fix) => {
    expect(checkPluginId(id)?.fix).toBe(fix);
  });

  it('should propose only ids that it accepts itself, for every reserved id written any way', () => {
    for (const reserved of RESERVED_PLUGIN_IDS.keys()) {
      const capitalized = reserved.charAt(0).toUpperCase() + reserved.slice(1);
      for (const id of [
        reserved,
        capitalized,
        reserved.toUpperCase(),
        `${reserved}-backend`,
        `plugin-${reserved}`,
      ]) {
        const fix = checkPluginId(id)?.fix ?? '';
        const proposed = [...fix.matchAll(/'([^']+)'/g)].map(match => match[1]).pop();
        expect(proposed, `the fix for '${id}': ${fix}`).toBeDefined();
        expect(checkPluginId(proposed as string), `the fix for '${id}': ${fix}`).toBeUndefined();
      }
    }
  });

  it('should propose the reserved id itself for the plugin of a module', () => {
    expect(checkPluginId('App', { forModule: true })?.fix).toBe("use 'app'");
  });

  it("should refuse the 'plugin-' prefix that the package name adds", () => {
    expect(checkPluginId('plugin-todo')).toEqual({
      message: "plugin id 'plugin-todo' starts with 'plugin-', which the package name adds",
      fix: "use 'todo'",
    });
  });
});

describe('checkModuleId', () => {
  it('should check the format only', () => {
    expect(checkModuleId('github')).toBeUndefined();
    expect(checkModuleId('api')).toBeUndefined();
    expect(checkModuleId('Git_Hub')?.fix).toBe("use 'git-hub'");
  });
});

describe('suggestId', () => {
  it.each([
    ['MyPlugin', 'my-plugin'],
    ['my plugin', 'my-plugin'],
    ['my__plugin', 'my-plugin'],
    ['42-things', 'things'],
    ['---', undefined],
  ])('should turn %s into %s', (id, expected) => {
    expect(suggestId(id)).toBe(expected);
  });
});
