import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import knexFactory from 'knex';

const REPLICA = resolve(__dirname, '__fixtures__/replica.ts');
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function startReplica(configFile: string, started: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', REPLICA, '--config', configFile],
    {
      cwd: resolve(__dirname, '../../../..'),
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.push(child);
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`Replica did not start:\n${output}`)), 25000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('READY\n')) {
        clearTimeout(timer);
        done(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', code => {
      clearTimeout(timer);
      fail(new Error(`Replica exited with ${code}:\n${output}`));
    });
  });
}

describe('two backend processes sharing a PostgreSQL database', () => {
  const prefix = `bp_auth_${randomBytes(4).toString('hex')}_`;
  const replicas: ChildProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backplane-replicas-'));
    const files: string[] = [];
    for (const index of [0, 1]) {
      const port = await freePort();
      const file = join(dir, `replica-${index}.yaml`);
      writeFileSync(
        file,
        JSON.stringify({
          backend: {
            baseUrl: `http://127.0.0.1:${port}`,
            listen: { host: '127.0.0.1', port },
            database: { client: 'pg', connection: PG, prefix },
          },
        }),
      );
      urls.push(`http://127.0.0.1:${port}`);
      files.push(file);
    }
    // Both at once, as in a rolling deployment: they race to create the databases and key tables.
    await Promise.all(files.map(file => startReplica(file, replicas)));
  }, 60000);

  afterAll(async () => {
    await Promise.all(
      replicas
        .filter(child => child.exitCode === null)
        .map(
          child =>
            new Promise(done => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        ),
    );
    const admin = knexFactory({ client: 'pg', connection: { ...PG, database: 'test' } });
    for (const pluginId of ['a', 'b']) {
      await admin.raw(`DROP DATABASE IF EXISTS "${prefix}${pluginId}" WITH (FORCE)`);
    }
    await admin.destroy();
  }, 30000);

  const issue = async (replica: number) => {
    const response = await fetch(`${urls[replica]}/api/a/issue?target=b`);
    return ((await response.json()) as { token: string }).token;
  };
  const whoami = async (replica: number, token: string) => {
    const response = await fetch(`${urls[replica]}/api/b/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json() };
  };

  it.each([
    [0, 1],
    [1, 0],
  ])(
    'should let replica %i verify a service token issued by replica %i',
    async (verifier, issuer) => {
      const token = await issue(issuer);
      await expect(whoami(verifier, token)).resolves.toEqual({
        status: 200,
        body: { type: 'service', subject: 'plugin:a' },
      });
    },
  );

  it("should keep both replicas' public keys of plugin a in a's database", async () => {
    const knex = knexFactory({ client: 'pg', connection: { ...PG, database: `${prefix}a` } });
    const rows = await knex('backstage_backend_public_keys__keys').select('id');
    await knex.destroy();
    expect(rows).toHaveLength(2);
    const published = await (await fetch(`${urls[0]}/api/a/.backstage/auth/v1/jwks.json`)).json();
    expect((published as { keys: Array<{ kid: string }> }).keys.map(key => key.kid).sort()).toEqual(
      rows.map(row => row.id).sort(),
    );
  });

  it('should refuse on either replica a token whose signature was changed', async () => {
    const token = await issue(0);
    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (const replica of [0, 1]) {
      const { status } = await whoami(replica, tampered);
      expect(status).toBe(401);
    }
  });
});
