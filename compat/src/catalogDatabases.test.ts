import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { stringify } from 'yaml';
import type { JsonObject } from '@backplane/plugin-api';
import { startFakeServer, type FakeServer } from './harness/fakeServer';
import { eventually } from './harness/eventually';
import { freePorts } from './harness/freePort';
import { readJson } from './harness/readJson';
import { startBackplane, type StartedBackend } from './harness/startBackplane';

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
});

/** The database servers the development machines run, with a unique prefix per test run. */
const engines = [
  {
    name: 'PostgreSQL',
    client: 'pg',
    connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' },
    drop: (db: string) => `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
  },
  {
    name: 'MySQL (MariaDB)',
    client: 'mysql2',
    connection: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
    drop: (db: string) => `DROP DATABASE IF EXISTS \`${db}\``,
  },
];

describe.each(engines)('@backstage/plugin-catalog-backend on $name', engine => {
  const prefix = `compat_${randomBytes(4).toString('hex')}_`;
  let upstream: FakeServer;
  let backend: StartedBackend;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backplane-compat-catalog-db-'));
    const file = join(dir, 'catalog-info.yaml');
    writeFileSync(file, stringify(component('db-component')));
    upstream = await startFakeServer(request =>
      request.url === '/remote.yaml'
        ? { text: stringify(component('remote-component')) }
        : { status: 404, text: 'not found' },
    );
    const { database: _omit, ...connection } = engine.connection as JsonObject;
    backend = await startBackplane({
      dir,
      features: [import('@backstage/plugin-catalog-backend')],
      config: {
        backend: {
          database: { client: engine.client, connection, prefix },
          reading: { allow: [{ host: `127.0.0.1:${upstream.port}` }] },
        },
        catalog: { locations: [{ type: 'file', target: file }] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
    const admin = knexFactory({ client: engine.client, connection: engine.connection });
    try {
      await admin.raw(engine.drop(`${prefix}catalog`));
    } finally {
      await admin.destroy();
    }
  });

  it('should ingest a file location and a URL location', async () => {
    await expectEntity(backend, 'db-component');
    const created = await backend.request('/api/catalog/locations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url', target: `${upstream.url}/remote.yaml` }),
      token: true,
    });
    expect(created.status).toBe(201);

    await expectEntity(backend, 'remote-component');
  });

  it('should start three replicas at the same moment on a new database', async () => {
    const replicaPrefix = `${prefix}r_`;
    const { database: _omit, ...connection } = engine.connection as JsonObject;
    const replicas = await Promise.allSettled(
      (await freePorts(3)).map(port =>
        startBackplane({
          port,
          features: [import('@backstage/plugin-catalog-backend')],
          config: {
            backend: { database: { client: engine.client, connection, prefix: replicaPrefix } },
          },
        }),
      ),
    );
    const started = replicas.flatMap(replica =>
      replica.status === 'fulfilled' ? [replica.value] : [],
    );
    try {
      expect(replicas.filter(replica => replica.status === 'rejected')).toEqual([]);
      for (const replica of started) {
        const response = await replica.request('/api/catalog/entities', { token: true });
        expect(response.status).toBe(200);
      }
    } finally {
      await Promise.all(started.map(replica => replica.stop()));
      const admin = knexFactory({ client: engine.client, connection: engine.connection });
      try {
        await admin.raw(engine.drop(`${replicaPrefix}catalog`));
      } finally {
        await admin.destroy();
      }
    }
  });
});

async function expectEntity(backend: StartedBackend, name: string) {
  const entity = await eventually(async () => {
    const path = `/api/catalog/entities/by-name/component/default/${name}`;
    const response = await backend.request(path, { token: true });
    return response.status === 200 ? readJson(response) : undefined;
  }, 30000);
  expect(entity.metadata.uid).toEqual(expect.any(String));
}
