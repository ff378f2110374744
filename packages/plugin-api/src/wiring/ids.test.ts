import * as official from '@backstage/backend-plugin-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackendModule } from './createBackendModule';
import { createBackendPlugin } from './createBackendPlugin';
import { assertValidId, isValidId } from './ids';

const register = (reg: any) => reg.registerInit({ deps: {}, init: async () => {} });

const throws = (make: () => unknown) => {
  try {
    make();
    return false;
  } catch {
    return true;
  }
};

const RULE =
  'an id must start with a letter, hold only letters a-z (either case) and digits, and separate words with a single dash or underscore (the pattern /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i)';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('plugin and module ids', () => {
  const ids = [
    'catalog',
    'example-backend',
    'UPPER',
    'myPlugin',
    'My_Plugin',
    'a1-b2_c3',
    'has space',
    'a--b',
    'a-',
    '-a',
    '9lives',
    'dots.not',
    'slash/not',
    '',
  ];

  it('should accept and refuse exactly the plugin ids @backstage/backend-plugin-api does', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const id of ids) {
      const theirs = throws(() => official.createBackendPlugin({ pluginId: id, register }));
      const mine = throws(() => createBackendPlugin({ pluginId: id, register }));
      expect(mine, `pluginId '${id}'`).toBe(theirs);
    }
  });

  it('should accept and refuse exactly the module ids @backstage/backend-plugin-api does', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const id of ids) {
      const options = { pluginId: 'catalog', moduleId: id, register };
      const theirs = throws(() => official.createBackendModule(options));
      const mine = throws(() => createBackendModule(options));
      expect(mine, `moduleId '${id}'`).toBe(theirs);
    }
  });

  it('should accept ids in any case and with underscores, as Backstage does', () => {
    expect(['UPPER', 'myPlugin', 'My_Plugin'].filter(id => !isValidId(id))).toEqual([]);
  });

  it('should throw BACKPLANE_INVALID_ID for a plugin id with a space, with the rule and a fixed id', () => {
    let error: any;
    try {
      createBackendPlugin({ pluginId: 'has space', register });
    } catch (thrown) {
      error = thrown;
    }

    expect(error.message).toBe(
      `BACKPLANE_INVALID_ID: Invalid pluginId 'has space' given to createBackendPlugin: ${RULE}. Use, for example, 'has-space'.`,
    );
    expect(error.code).toBe('BACKPLANE_INVALID_ID');
  });

  it('should name the plugin of a module whose module id is invalid', () => {
    expect(() =>
      createBackendModule({ pluginId: 'catalog', moduleId: '9lives', register }),
    ).toThrow(
      `BACKPLANE_INVALID_ID: Invalid moduleId '9lives' given to createBackendModule for plugin 'catalog': ${RULE}. Use, for example, 'lives'.`,
    );
  });

  it('should leave the plugin id of a module to the backend, as Backstage does', () => {
    expect(() =>
      createBackendModule({ pluginId: 'has space', moduleId: 'ok', register }),
    ).not.toThrow();
  });

  it('should suggest an example id when nothing usable is left of the given one', () => {
    expect(() => assertValidId('pluginId', undefined)).toThrow(
      `BACKPLANE_INVALID_ID: Invalid pluginId undefined: ${RULE}. Use, for example, 'my-plugin'.`,
    );
    expect(() => assertValidId('moduleId', '123', 'in a test')).toThrow(
      `BACKPLANE_INVALID_ID: Invalid moduleId '123' in a test: ${RULE}. Use, for example, 'my-module'.`,
    );
  });
});
