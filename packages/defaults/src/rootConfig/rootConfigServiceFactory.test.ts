import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RootConfigService } from '@backplane/plugin-api';
import { createConfigSecretEnumerator } from './createConfigSecretEnumerator';
import { ConfigReader } from './ConfigReader';
import { RootConfigReader } from './RootConfigReader';
import { createRootConfig, rootConfigServiceFactory } from './rootConfigServiceFactory';

const dirs: string[] = [];
const configs: RootConfigReader[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-rootconfig-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const config of configs.splice(0)) config.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Instantiable = { factory(deps: object, ctx?: unknown): Promise<RootConfigService> };

describe('rootConfigServiceFactory', () => {
  it('should be a root factory for core.rootConfig that can also be called with options', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'custom.yaml'), 'app: { title: Custom }\n');

    const configured = rootConfigServiceFactory({ argv: ['--config', 'custom.yaml'], cwd: dir });
    const config = await (configured as unknown as Instantiable).factory({});

    expect(typeof rootConfigServiceFactory).toBe('function');
    expect({ ...rootConfigServiceFactory }).toMatchObject({
      $$type: '@backstage/BackendFeature',
      version: 'v1',
      featureType: 'service',
      service: { id: 'core.rootConfig', scope: 'root' },
      deps: {},
    });
    expect(configured).toMatchObject({
      featureType: 'service',
      service: { id: 'core.rootConfig' },
    });
    expect(config.getString('app.title')).toBe('Custom');
  });

  it('should reload a watched file and notify subscribers', async () => {
    const dir = tempDir();
    const file = join(dir, 'app-config.yaml');
    writeFileSync(file, 'value: 1\n');

    const config = await createRootConfig({ cwd: dir, argv: [], env: {}, watch: true });
    configs.push(config);
    const changed = new Promise<number>(resolve =>
      config.subscribe(() => resolve(config.getNumber('value'))),
    );
    writeFileSync(file, 'value: 2\n');

    await expect(changed).resolves.toBe(2);
  });

  it('should notice an app-config.local.yaml created after start when watching', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app-config.yaml'), 'value: 1\n');

    const config = await createRootConfig({ cwd: dir, argv: [], env: {}, watch: true });
    configs.push(config);
    const changed = new Promise<number>(resolve =>
      config.subscribe(() => resolve(config.getNumber('value'))),
    );
    writeFileSync(join(dir, 'app-config.local.yaml'), 'value: 3\n');

    await expect(changed).resolves.toBe(3);
  });

  it('should apply a reload whose subscriber throws, and warn with that error', async () => {
    const dir = tempDir();
    const file = join(dir, 'app-config.yaml');
    writeFileSync(file, 'value: 1\n');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const config = await createRootConfig({ cwd: dir, argv: [], env: {}, watch: true });
      configs.push(config);
      config.subscribe(() => {
        throw new Error('boom');
      });
      const changed = new Promise<number>(resolve =>
        config.subscribe(() => resolve(config.getNumber('value'))),
      );
      writeFileSync(file, 'value: 2\n');

      await expect(changed).resolves.toBe(2);
      await vi.waitFor(() => expect(warnings).toHaveLength(1));
      expect(warnings[0]).toBe(
        'BackplaneConfigWarning: The configuration was reloaded and is in effect, but 1 of its ' +
          'subscribers failed while handling the change: boom. Fix the config.subscribe() ' +
          'callback that threw (the cause has its stack).',
      );
      expect(config.getNumber('value')).toBe(2);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('should keep the previous configuration when app-config.yaml is removed while watching', async () => {
    const dir = tempDir();
    const file = join(dir, 'app-config.yaml');
    writeFileSync(file, 'value: 1\n');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const config = await createRootConfig({ cwd: dir, argv: [], env: {}, watch: true });
      configs.push(config);
      let notified = 0;
      config.subscribe(() => void (notified += 1));
      renameSync(file, join(dir, 'moved-away.yaml'));

      await vi.waitFor(() => expect(warnings).toHaveLength(1));
      expect(warnings[0]).toBe(
        `Config reload failed, keeping the previous configuration: the config file '${file}' ` +
          'was removed; restore it, or restart the backend to run without it',
      );
      expect(config.getNumber('value')).toBe(1);
      expect(notified).toBe(0);

      // Restored, it is read again.
      const changed = new Promise<number>(resolve =>
        config.subscribe(() => resolve(config.getNumber('value'))),
      );
      writeFileSync(file, 'value: 5\n');
      await expect(changed).resolves.toBe(5);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('createConfigSecretEnumerator', () => {
  it('should list $env and $file values, schema secrets, secret-named keys and URL passwords', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'app-config.yaml'),
      [
        'backend:',
        '  database:',
        '    connection: postgres://user:db-pass-1@localhost/db',
        '  auth:',
        '    externalAccess:',
        '      - type: static',
        '        options: { token: static-token-1, subject: my-script }',
        '    keys: [{ secret: legacy-secret }]',
        'integrations:',
        '  github: [{ host: github.com, token: { $env: GH } }]',
        'other: { clientSecret: client-secret, note: "${NOTE}", tiny: { $env: TINY } }',
      ].join('\n'),
    );

    const config = await createRootConfig({
      cwd: dir,
      argv: [],
      env: { GH: 'gh-token-value', NOTE: 'plain', TINY: 'ab' },
    });
    const secrets = [...createConfigSecretEnumerator()(config)].sort();

    expect(secrets).toEqual([
      'client-secret',
      'db-pass-1',
      'gh-token-value',
      'legacy-secret',
      'postgres://user:db-pass-1@localhost/db',
      'static-token-1',
    ]);
  });

  it('should work on a config it did not load, from key names only', () => {
    const config = new ConfigReader({ app: { password: 'hunter22' } });

    expect([...createConfigSecretEnumerator()(config)]).toEqual(['hunter22']);
  });
});
