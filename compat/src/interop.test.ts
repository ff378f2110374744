import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbePlugin, type ProbeServices } from './fixtures/probePlugin';
import { freePort } from './harness/freePort';
import { startBackplane, type StartedBackend } from './harness/startBackplane';
import { startOfficial } from './harness/startOfficial';
import { readJson } from './harness/readJson';

/** Points discovery of `plugins` at the backend on `port`. */
const pointAt = (port: number, plugins: string[]) => ({
  discovery: { endpoints: [{ target: `http://127.0.0.1:${port}/api/{{pluginId}}`, plugins }] },
});

describe('plugin tokens between a Backplane backend and an official Backstage backend', () => {
  let backplane: StartedBackend;
  let official: Awaited<ReturnType<typeof startOfficial>>;
  const alphaServices: Partial<ProbeServices> = {};

  beforeAll(async () => {
    const [backplanePort, officialPort] = [await freePort(), await freePort()];
    // Both start before either calls the other; tokens are checked on the first request.
    [backplane, official] = await Promise.all([
      startBackplane({
        port: backplanePort,
        features: [
          createProbePlugin({ pluginId: 'alpha', services: alphaServices }),
          import('@backstage/plugin-auth-backend'),
          import('@backstage/plugin-auth-backend-module-guest-provider'),
        ],
        config: {
          ...pointAt(officialPort, ['beta']),
          auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
        },
      }),
      startOfficial({
        port: officialPort,
        features: [createProbePlugin({ pluginId: 'beta' })],
        config: pointAt(backplanePort, ['alpha', 'auth']),
      }),
    ]);
  });

  afterAll(async () => {
    await backplane?.stop();
    await official?.stop();
  });

  it('should have the official backend accept a plugin token issued by Backplane', async () => {
    const response = await backplane.request('/api/alpha/call/beta', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      url: `${official.url}/api/beta/whoami`,
      status: 200,
      body: { plugin: 'beta', principal: { type: 'service', subject: 'plugin:alpha' } },
    });
  });

  it('should have Backplane accept a plugin token issued by the official backend', async () => {
    const response = await official.request('/api/beta/call/alpha', { token: true });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      url: `${backplane.url}/api/alpha/whoami`,
      status: 200,
      body: { plugin: 'alpha', principal: { type: 'service', subject: 'plugin:beta' } },
    });
  });

  it('should publish ES256 plugin keys at the same JWKS path on both backends', async () => {
    const [ours, theirs] = await Promise.all([
      backplane.request('/api/alpha/.backstage/auth/v1/jwks.json'),
      official.request('/api/beta/.backstage/auth/v1/jwks.json'),
    ]);

    expect(ours.status).toBe(200);
    expect(theirs.status).toBe(200);
    for (const { keys } of [await readJson(ours), await readJson(theirs)]) {
      expect(keys).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: expect.any(String) }),
        ]),
      );
    }
  });

  it('should refuse a plugin token meant for another plugin', async () => {
    const { auth } = alphaServices as ProbeServices;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'beta',
    });

    const response = await backplane.request('/api/alpha/whoami', { token });

    expect(response.status).toBe(401);
  });

  it('should have the official backend accept a guest token from the auth plugin on Backplane', async () => {
    const refresh = await backplane.request('/api/auth/guest/refresh', {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const { backstageIdentity } = await readJson(refresh);

    const response = await official.request('/api/beta/whoami', {
      token: backstageIdentity.token,
    });

    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      plugin: 'beta',
      principal: { type: 'user', userEntityRef: 'user:development/guest' },
    });
  });

  it('should carry a guest through plugin calls in both directions', async () => {
    const refresh = await backplane.request('/api/auth/guest/refresh', {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const { token } = (await readJson(refresh)).backstageIdentity;

    const toOfficial = await backplane.request('/api/alpha/call/beta?onBehalfOf=caller', { token });
    const toBackplane = await official.request('/api/beta/call/alpha?onBehalfOf=caller', { token });

    expect(await readJson(toOfficial)).toMatchObject({
      status: 200,
      body: {
        plugin: 'beta',
        principal: {
          type: 'user',
          userEntityRef: 'user:development/guest',
          actor: { type: 'service', subject: 'plugin:alpha' },
        },
      },
    });
    expect(await readJson(toBackplane)).toMatchObject({
      status: 200,
      body: {
        plugin: 'alpha',
        principal: {
          type: 'user',
          userEntityRef: 'user:development/guest',
          actor: { type: 'service', subject: 'plugin:beta' },
        },
      },
    });
  });
});
