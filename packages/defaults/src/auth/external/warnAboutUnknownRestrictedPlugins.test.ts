import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LoggerService,
} from '@backplane/plugin-api';
import { ConfigReader } from '../../rootConfig';
import { startRuntimeBackend } from '../__fixtures__/runtimeBackend';
import { warnAboutUnknownRestrictedPlugins } from './warnAboutUnknownRestrictedPlugins';

type Line = { level: string; message: string; meta?: unknown };

function recordingLogger(lines: Line[]): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push({ level, message, meta });
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => recordingLogger(lines),
  };
}

function staticEntry(token: string, plugins: string[]) {
  return {
    type: 'static',
    options: { token, subject: 'ci' },
    accessRestrictions: plugins.map(plugin => ({ plugin })),
  };
}

/** A plugin with one route, `GET /ping`. */
function plugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use(express.Router().get('/ping', (_req, res) => res.json({ pluginId })));
        },
      });
    },
  });
}

const running: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(backend => backend.stop()));
});

describe('accessRestrictions naming a plugin that is not installed', () => {
  it('should warn once at startup, naming the config key, the id, the installed plugins and the closest match, and still start', async () => {
    const lines: Line[] = [];
    const rootLogger = createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => recordingLogger(lines),
    });
    const backend = await startRuntimeBackend({
      config: {
        backend: {
          auth: {
            externalAccess: [
              staticEntry('ci-token-0123', ['catalog']),
              staticEntry('ci-token-4567', ['todo', 'catlog']),
            ],
          },
        },
      },
      features: [rootLogger, plugin('catalog'), plugin('todo')],
    });
    running.push(backend);

    const warnings = lines.filter(line => line.level === 'warn');
    expect(warnings).toEqual([
      {
        level: 'warn',
        message:
          "Config 'backend.auth.externalAccess[1].accessRestrictions[1].plugin' restricts a token to plugin 'catlog', which is not installed, so this restriction grants access to nothing. Did you mean 'catalog'? Installed plugins: 'catalog', 'todo'. Fix the plugin id, or remove the restriction.",
        meta: {
          configKey: 'backend.auth.externalAccess[1].accessRestrictions[1].plugin',
          restrictedPlugin: 'catlog',
          installedPlugins: ['catalog', 'todo'],
          suggestion: 'catalog',
        },
      },
    ]);

    // The backend runs, and the token still reaches the plugin it is restricted to.
    const res = await fetch(`${backend.baseUrl}/api/todo/ping`, {
      headers: { authorization: 'Bearer ci-token-4567' },
    });
    expect(res.status).toBe(200);
  });
});

describe('warnAboutUnknownRestrictedPlugins', () => {
  function check(externalAccess: unknown, installedPluginIds: string[]) {
    const lines: Line[] = [];
    warnAboutUnknownRestrictedPlugins({
      config: new ConfigReader({ backend: { auth: { externalAccess } } } as any),
      logger: recordingLogger(lines),
      installedPluginIds,
    });
    return lines;
  }

  it('should say nothing when every restricted plugin is installed', () => {
    expect(check([staticEntry('ci-token-0123', ['catalog', 'todo'])], ['catalog', 'todo'])).toEqual(
      [],
    );
    expect(check(undefined, ['catalog'])).toEqual([]);
  });

  it('should leave out the suggestion when no installed id is close', () => {
    const [line] = check([staticEntry('ci-token-0123', ['search'])], ['catalog']);

    expect(line.message).toBe(
      "Config 'backend.auth.externalAccess[0].accessRestrictions[0].plugin' restricts a token to plugin 'search', which is not installed, so this restriction grants access to nothing. Installed plugins: 'catalog'. Fix the plugin id, or remove the restriction.",
    );
    expect(line.meta).not.toHaveProperty('suggestion');
  });

  it('should skip malformed entries, which the auth service rejects with its own error', () => {
    expect(
      check(
        [
          { type: 'static', accessRestrictions: 'catalog' },
          { accessRestrictions: [{ plugin: 7 }] },
        ],
        ['catalog'],
      ),
    ).toEqual([]);
  });
});
