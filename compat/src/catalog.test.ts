import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startFakeServer, type FakeServer } from './harness/fakeServer';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { eventually } from './harness/eventually';
import { readJson } from './harness/readJson';

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
});

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'smoke-template' },
  spec: { type: 'service', owner: 'guests', parameters: [], steps: [] },
};

/** A Component whose name breaks the entity name rules, so that processing reports an error. */
const malformed = component('Not A Valid Name!');

const multiDoc = (...docs: unknown[]) => docs.map(doc => stringify(doc)).join('---\n');

/**
 * Writes the smoke files under `<dir>/smoke/` and returns their targets as the reference writes
 * them: relative to the working directory, which the tests set to `dir`.
 */
function writeCatalogFiles(dir: string) {
  mkdirSync(join(dir, 'smoke'), { recursive: true });
  writeFileSync(
    join(dir, 'smoke', 'catalog-info.yaml'),
    multiDoc(component('smoke-component'), template),
  );
  writeFileSync(join(dir, 'smoke', 'broken.yaml'), multiDoc(malformed));
  return { file: './smoke/catalog-info.yaml', broken: './smoke/broken.yaml' };
}

/** How long the reference gives the catalog to serve the first entity of a file location. */
const FIRST_ENTITY_TIMEOUT_MS = 10000;

function catalogConfig(files: { file: string; broken: string }, upstream: FakeServer) {
  return {
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Template',
            'User',
            'Group',
          ],
        },
      ],
      locations: [
        { type: 'file', target: files.file },
        { type: 'file', target: files.broken },
      ],
    },
    backend: { reading: { allow: [{ host: `127.0.0.1:${upstream.port}` }] } },
  };
}

async function getEntity(backend: StartedBackend, kind: string, name: string) {
  const response = await backend.request(`/api/catalog/entities/by-name/${kind}/default/${name}`, {
    token: true,
  });
  return response.status === 200 ? readJson(response) : undefined;
}

describe('@backstage/plugin-catalog-backend with module-logs and scaffolder-entity-model on Backplane', () => {
  let upstream: FakeServer;
  let backend: StartedBackend;
  let dir: string;
  const cwd = process.cwd();

  beforeAll(async () => {
    // realpath: the catalog resolves file targets against process.cwd(), which is always real.
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'backplane-compat-catalog-')));
    process.chdir(dir);
    upstream = await startFakeServer(request =>
      request.url === '/more.yaml'
        ? { text: stringify(component('more-component')), headers: { 'content-type': 'text/yaml' } }
        : { status: 404, text: 'not found' },
    );
    backend = await startBackplane({
      dir,
      features: [
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-catalog-backend-module-logs'),
        import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
      ],
      config: catalogConfig(writeCatalogFiles(dir), upstream),
    });
  });

  afterAll(async () => {
    process.chdir(cwd);
    await backend?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should ingest the component of a file location', async () => {
    const entity = await eventually(
      () => getEntity(backend, 'component', 'smoke-component'),
      FIRST_ENTITY_TIMEOUT_MS,
    );

    expect(entity.metadata.uid).toEqual(expect.any(String));
    expect(entity.metadata.annotations['backstage.io/managed-by-location']).toBe(
      `file:${join(dir, 'smoke', 'catalog-info.yaml')}`,
    );
  });

  it('should list the component when filtering by kind', async () => {
    const response = await backend.request('/api/catalog/entities?filter=kind=component', {
      token: true,
    });

    expect(response.status).toBe(200);
    const names = (await readJson(response)).map((e: any) => e.metadata.name);
    expect(names).toContain('smoke-component');
  });

  it('should accept a Template entity', async () => {
    const entity = await eventually(() => getEntity(backend, 'template', 'smoke-template'));

    expect(entity.kind).toBe('Template');
  });

  it('should ingest a URL location added through the API and remove it again', async () => {
    const created = await backend.request('/api/catalog/locations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url', target: `${upstream.url}/more.yaml` }),
      token: true,
    });
    expect(created.status).toBe(201);
    const { location } = await readJson(created);

    const entity = await eventually(() => getEntity(backend, 'component', 'more-component'));
    expect(entity.metadata.annotations['backstage.io/managed-by-location']).toBe(
      `url:${upstream.url}/more.yaml`,
    );

    const deleted = await backend.request(`/api/catalog/locations/${location.id}`, {
      method: 'DELETE',
      token: true,
    });
    expect(deleted.status).toBe(204);
    const gone = await backend.request(`/api/catalog/locations/${location.id}`, { token: true });
    expect(gone.status).toBe(404);
  });

  it('should serve its OpenAPI document with paths under /api/catalog', async () => {
    const response = await backend.request('/api/catalog/openapi.json', { token: true });

    expect(response.status).toBe(200);
    const paths = Object.keys((await readJson(response)).paths);
    expect(paths).toContain('/api/catalog/entities');
    expect(paths.every(path => path.startsWith('/api/catalog/'))).toBe(true);
  });

  it('should log a warning through module-logs for a malformed entity', async () => {
    const warning = await eventually(async () =>
      backend.logs.find(
        line => line.level === 'warn' && JSON.stringify(line).includes('Not A Valid Name!'),
      ),
    );

    expect(warning).toMatchObject({
      plugin: 'catalog',
      entity: 'component:default/not a valid name!',
      location: `file:${join(dir, 'smoke', 'broken.yaml')}`,
    });
  });

  it('should refuse the entities list without credentials', async () => {
    const response = await backend.request('/api/catalog/entities');

    expect(response.status).toBe(401);
  });
});

describe('@backstage/plugin-catalog-backend without scaffolder-entity-model on Backplane', () => {
  let upstream: FakeServer;
  let backend: StartedBackend;
  let dir: string;
  const cwd = process.cwd();

  beforeAll(async () => {
    // realpath: the catalog resolves file targets against process.cwd(), which is always real.
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'backplane-compat-catalog-')));
    process.chdir(dir);
    upstream = await startFakeServer(() => ({ status: 404, text: 'not found' }));
    backend = await startBackplane({
      dir,
      features: [
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-catalog-backend-module-logs'),
      ],
      config: catalogConfig(writeCatalogFiles(dir), upstream),
    });
  });

  afterAll(async () => {
    process.chdir(cwd);
    await backend?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should ingest the component but reject the Template', async () => {
    await eventually(
      () => getEntity(backend, 'component', 'smoke-component'),
      FIRST_ENTITY_TIMEOUT_MS,
    );
    const rejection = await eventually(async () =>
      backend.logs.find(
        line => line.level === 'warn' && String(line.entity).startsWith('template:'),
      ),
    );

    expect(rejection.message).toContain('No processor recognized the entity');

    expect(await getEntity(backend, 'template', 'smoke-template')).toBeUndefined();
  });
});
