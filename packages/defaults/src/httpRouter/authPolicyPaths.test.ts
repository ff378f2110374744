/*
 * Policy path tricks against a running server. Requests are sent with the raw path (Node's
 * http.request does not normalise it, unlike fetch), so `..`, `//` and encoded separators arrive
 * as written. No request without credentials may reach a protected handler or file.
 */
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPlugin, startRootRouter, tokens } from '../rootHttpRouter/__fixtures__/fakes';

let root: Awaited<ReturnType<typeof startRootRouter>>;
let dir: string;
const reached: string[] = [];

function send(method: string, rawPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: root.port, method, path: rawPath, headers },
      res => {
        let body = '';
        res.on('data', c => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-policy-'));
  fs.mkdirSync(path.join(dir, 'public'));
  fs.writeFileSync(path.join(dir, 'public', 'readme.txt'), 'public file');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'SECRET');

  root = await startRootRouter();
  const { httpRouter } = await addPlugin(root, 'demo');
  httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
  httpRouter.addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
  httpRouter.addAuthPolicy({ path: '/items/:id/preview', allow: 'unauthenticated' });
  httpRouter.addAuthPolicy({ path: '/static/:file', allow: 'user-cookie' });

  const router = express.Router();
  const open = (name: string) => (_req: express.Request, res: express.Response) => {
    res.send(name);
  };
  const guarded = (name: string) => (_req: express.Request, res: express.Response) => {
    reached.push(name);
    res.send(name);
  };
  router.get('/health', open('health'));
  router.get('/items/:id/preview', open('preview'));
  router.get('/static/:file', open('static'));
  router.get('/healthz', guarded('healthz'));
  router.get('/publicity', guarded('publicity'));
  router.get('/private', guarded('private'));
  router.get('/items/:id', guarded('item'));
  router.get('/:section/:a/:b', guarded('section'));
  router.use((req, res, next) => {
    // Static files: the public folder is opened by policy, secret.txt is not.
    express.static(dir)(req, res, err => next(err));
  });
  httpRouter.use(router);
});

afterAll(async () => {
  await root.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = '/api/demo';

describe('auth policy paths against a running server', () => {
  it.each([
    // opened by policy
    ['GET', '/health', 200],
    ['GET', '/health/', 200],
    ['GET', '/health?x=1', 200],
    ['GET', '/health?next=/private', 200],
    ['HEAD', '/health', 200],
    ['OPTIONS', '/health', 200],
    ['GET', '/public/readme.txt', 200],
    ['GET', '/items/1/preview', 200],
    ['POST', '/health', 404],
    ['GET', '/health/missing', 404],
    // look-alike prefixes
    ['GET', '/healthz', 401],
    ['GET', '/health.json', 401],
    ['GET', '/health;a=b', 401],
    ['GET', '/publicity', 401],
    ['GET', '/public-x', 401],
    ['GET', '/items/1', 401],
    // case changes (Express would route these to the handlers)
    ['GET', '/Health', 401],
    ['GET', '/HEALTH/', 401],
    ['GET', '/PUBLIC/readme.txt', 401],
    ['GET', '/Private', 401],
    // empty, dot and encoded segments
    ['GET', '//health', 401],
    ['GET', '/health//', 401],
    ['GET', '/./health', 401],
    ['GET', '/health/.', 401],
    ['GET', '/health/..', 401],
    ['GET', '/x/../health', 401],
    ['GET', '/health/../private', 401],
    ['GET', '/health/..%2fprivate', 401],
    ['GET', '/health%2f..%2fprivate', 401],
    ['GET', '/%2e/health', 401],
    ['GET', '/%2E%2E/health', 401],
    ['GET', '/public/../secret.txt', 401],
    ['GET', '/public/%2e%2e/secret.txt', 401],
    ['GET', '/public/%2E%2E/secret.txt', 401],
    ['GET', '/public/.%2e/secret.txt', 401],
    ['GET', '/public/..%2fsecret.txt', 401],
    ['GET', '/public/..%2Fsecret.txt', 401],
    ['GET', '/public%2f..%2fsecret.txt', 401],
    ['GET', '/public/%2e%2e%2Fsecret.txt', 401],
    ['GET', '/public/..%5csecret.txt', 401],
    ['GET', '/public/..\\secret.txt', 401],
    ['GET', '/public/x/../../secret.txt', 401],
    ['GET', '/health#/../private', 401],
    ['GET', '/items/..%2f..%2fprivate/preview', 401],
    ['GET', '/items/../private/preview', 401],
    ['GET', '/items/%2e%2e/preview', 401],
    ['GET', '/public/%zz', 401],
    // protected paths, whatever the method or query
    ['GET', '/private', 401],
    ['GET', '/private/', 401],
    ['GET', '/private?path=/health', 401],
    ['HEAD', '/private', 401],
    ['OPTIONS', '/private', 401],
    ['DELETE', '/private', 401],
    ['GET', '/secret.txt', 401],
    ['GET', '/static/app.js', 401],
    ['GET', '/.backstage/auth/v1/cookie', 401],
  ])('should answer %s %s without credentials with %i', async (method, rawPath, status) => {
    const res = await send(method, base + rawPath);
    expect(res.status).toBe(status);
    if (status === 401 && method !== 'HEAD') {
      expect(JSON.parse(res.body).error.name).toBe('AuthenticationError');
    }
    expect(res.body).not.toContain('SECRET');
    expect(reached).toEqual([]);
  });

  it('should accept a cookie only on the user-cookie path itself', async () => {
    const cookie = { cookie: tokens.cookie };
    expect((await send('GET', `${base}/static/app.js`, cookie)).status).toBe(200);
    expect((await send('GET', `${base}/static/../private`, cookie)).status).toBe(403);
    expect((await send('GET', `${base}/static/..%2fsecret.txt`, cookie)).status).toBe(403);
    expect((await send('GET', `${base}/private`, cookie)).status).toBe(403);
    expect(reached).toEqual([]);
  });

  it('should serve the same paths to a caller with credentials, as Express routes them', async () => {
    const user = { authorization: tokens.user };
    expect(await send('GET', `${base}/Health`, user)).toEqual({ status: 200, body: 'health' });
    expect(await send('GET', `${base}/private`, user)).toEqual({ status: 200, body: 'private' });
    expect(await send('GET', `${base}/health/../private`, user)).toEqual({
      status: 200,
      body: 'section',
    });
    // The static file server resolves dot segments: only the barrier keeps this from strangers.
    expect((await send('GET', `${base}/public/..%2fsecret.txt`, user)).body).toBe('SECRET');
    expect((await send('GET', `${base}/public/%2e%2e%2Fsecret.txt`, user)).body).toBe('SECRET');
    expect(reached).toEqual(['private', 'section']);
  });

  it('should route hostile mount paths to no plugin or to the barrier', async () => {
    expect((await send('GET', '/api/demo%2fhealth')).status).toBe(404);
    expect((await send('GET', '/api//demo/health')).status).toBe(404);
    expect((await send('GET', '/api/demo/../demo/health')).status).toBe(401);
    expect((await send('GET', '/API/DEMO/health')).status).toBe(200);
  });
});
