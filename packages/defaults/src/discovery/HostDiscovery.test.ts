import { describe, expect, it, vi } from 'vitest';
import type { DiscoveryService, JsonObject } from '@backplane/plugin-api';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { RootConfigReader } from '../rootConfig/RootConfigReader';
import { discoveryServiceFactory } from './discoveryServiceFactory';
import { HostDiscovery } from './HostDiscovery';

async function urls(backend: JsonObject, extra: JsonObject = {}, pluginId = 'catalog') {
  const discovery = HostDiscovery.fromConfig(new ConfigReader({ backend, ...extra }));
  return [await discovery.getBaseUrl(pluginId), await discovery.getExternalBaseUrl(pluginId)];
}

describe('HostDiscovery', () => {
  it('should build URLs from backend.listen and backend.baseUrl', async () => {
    expect(await urls({ baseUrl: 'https://backstage.example.com/', listen: ':7017' })).toEqual([
      'http://localhost:7017/api/catalog',
      'https://backstage.example.com/api/catalog',
    ]);
  });

  it('should accept every form of backend.listen', async () => {
    const internal = async (listen: JsonObject['x']) => (await urls({ listen }))[0];

    expect(await internal(undefined)).toBe('http://localhost:7007/api/catalog');
    expect(await internal('0.0.0.0:7008')).toBe('http://localhost:7008/api/catalog');
    expect(await internal('127.0.0.1:7009')).toBe('http://127.0.0.1:7009/api/catalog');
    expect(await internal('[::1]:7010')).toBe('http://[::1]:7010/api/catalog');
    expect(await internal('7011')).toBe('http://localhost:7011/api/catalog');
    expect(await internal({ port: 7012 })).toBe('http://localhost:7012/api/catalog');
    expect(await internal({ host: '::', port: '7013' })).toBe('http://localhost:7013/api/catalog');
    expect(await internal({ host: 'backend.internal' })).toBe(
      'http://backend.internal:7007/api/catalog',
    );
  });

  it('should use https when backend.https is set and fall back to the internal URL without baseUrl', async () => {
    expect(await urls({ https: true, listen: { port: 443 } })).toEqual([
      'https://localhost:443/api/catalog',
      'https://localhost:443/api/catalog',
    ]);
  });

  it('should explain an invalid backend.listen', async () => {
    await expect(urls({ listen: 'localhost' })).rejects.toThrow(
      "Invalid config value at 'backend.listen': 'localhost' is not an address; write it as ':7007', 'host:7007' or { host, port }",
    );
    await expect(urls({ listen: { port: 70000 } })).rejects.toThrow(
      "Invalid config value at 'backend.listen': port 70000 is out of range",
    );
  });

  it('should refuse at creation a backend.baseUrl that is not an http or https URL', async () => {
    const fix =
      "write an absolute http:// or https:// URL, for example 'https://backstage.example.com'";

    await expect(urls({ baseUrl: 'not a url' })).rejects.toThrow(
      `Invalid config value at 'backend.baseUrl': 'not a url' is not a URL; ${fix}`,
    );
    await expect(urls({ baseUrl: 'localhost:7007' })).rejects.toThrow(
      `Invalid config value at 'backend.baseUrl': 'localhost:7007' does not start with http:// or https://; ${fix}`,
    );
    await expect(urls({ baseUrl: 'ftp://files.example.com' })).rejects.toThrow(
      `Invalid config value at 'backend.baseUrl': 'ftp://files.example.com' uses the scheme 'ftp', and only http and https are supported; ${fix}`,
    );
    await expect(urls({ baseUrl: 'https://bp.example/?x=1' })).rejects.toThrow(
      `Invalid config value at 'backend.baseUrl': 'https://bp.example/?x=1' has a query or fragment, which plugin paths cannot be appended to; ${fix}`,
    );
    expect(await urls({ baseUrl: 'HTTPS://bp.example/backstage/' })).toEqual([
      'http://localhost:7007/api/catalog',
      'HTTPS://bp.example/backstage/api/catalog',
    ]);
  });

  it('should refuse a backend.listen host that makes no URL', async () => {
    await expect(urls({ listen: { host: 'my host', port: 7007 } })).rejects.toThrow(
      "Invalid config value at 'backend.listen': 'my host' is not a host name or address; write it as ':7007', 'host:7007' or { host, port }",
    );
  });

  it('should refuse a discovery.endpoints target that is not an http or https URL', async () => {
    const endpoints = (target: JsonObject['x']) => ({
      discovery: {
        endpoints: [
          { target: 'http://ok/{{pluginId}}', plugins: ['a'] },
          { target, plugins: ['b'] },
        ],
      },
    });
    const fix =
      "write an absolute http:// or https:// URL, for example 'http://catalog.internal:7007/api/{{pluginId}}'";

    await expect(urls({}, endpoints('catalog/api/{{pluginId}}'))).rejects.toThrow(
      `Invalid config value at 'discovery.endpoints[1].target': 'catalog/api/plugin' is not a URL; ${fix}`,
    );
    await expect(urls({}, endpoints({ external: 'ws://public/{{pluginId}}' }))).rejects.toThrow(
      `Invalid config value at 'discovery.endpoints[1].target.external': 'ws://public/plugin' uses the scheme 'ws'`,
    );
    expect(await urls({}, endpoints({ internal: 'http://{{pluginId}}.svc/api' }), 'b')).toEqual([
      'http://b.svc/api',
      'http://localhost:7007/api/b',
    ]);
  });

  it('should keep the last good URLs when a reload brings an invalid backend.baseUrl', async () => {
    const config = new RootConfigReader({ backend: { baseUrl: 'http://pub' } });
    const discovery = HostDiscovery.fromConfig(config);

    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      config.update({ backend: { baseUrl: 'not a url' } });

      expect(await discovery.getExternalBaseUrl('catalog')).toBe('http://pub/api/catalog');
      expect(warn).toHaveBeenCalledWith(
        "Discovery keeps its previous URLs, since the reloaded configuration is invalid: Invalid config value at 'backend.baseUrl': 'not a url' is not a URL; write an absolute http:// or https:// URL, for example 'https://backstage.example.com'",
        'BackplaneConfigWarning',
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('should send listed plugins to discovery.endpoints targets with {{pluginId}} replaced', async () => {
    const discovery = {
      endpoints: [
        { target: 'http://search.internal/api/{{ pluginId }}', plugins: ['search'] },
        {
          target: { internal: 'http://catalog:7007/api/{{pluginId}}' },
          plugins: ['catalog', 'catalog-graph'],
        },
        { target: { external: 'https://public.example/{{pluginId}}' }, plugins: ['badges'] },
      ],
    };
    const backend = { baseUrl: 'https://bp.example', listen: ':7007' };

    expect(await urls(backend, { discovery }, 'search')).toEqual([
      'http://search.internal/api/search',
      'http://search.internal/api/search',
    ]);
    expect(await urls(backend, { discovery }, 'catalog-graph')).toEqual([
      'http://catalog:7007/api/catalog-graph',
      'https://bp.example/api/catalog-graph',
    ]);
    expect(await urls(backend, { discovery }, 'badges')).toEqual([
      'http://localhost:7007/api/badges',
      'https://public.example/badges',
    ]);
    expect(await urls(backend, { discovery }, 'other')).toEqual([
      'http://localhost:7007/api/other',
      'https://bp.example/api/other',
    ]);
  });

  it('should name the key of a malformed endpoint', async () => {
    const discovery = { endpoints: [{ target: 'http://x' }] };

    await expect(urls({}, { discovery })).rejects.toThrow(
      "Missing required config value at 'discovery.endpoints[0].plugins'",
    );
  });

  it('should honour basePath and follow config reloads', async () => {
    const config = new RootConfigReader({ backend: { listen: ':7007' } });
    const discovery = HostDiscovery.fromConfig(config, { basePath: '/plugins/' });

    const before = await discovery.getBaseUrl('catalog');
    config.update({ backend: { listen: ':8008', baseUrl: 'http://pub' } });

    expect(before).toBe('http://localhost:7007/plugins/catalog');
    expect(await discovery.getBaseUrl('catalog')).toBe('http://localhost:8008/plugins/catalog');
    expect(await discovery.getExternalBaseUrl('catalog')).toBe('http://pub/plugins/catalog');
  });
});

describe('discoveryServiceFactory', () => {
  it('should share one discovery across plugins', async () => {
    const factory = discoveryServiceFactory as unknown as {
      createRootContext(deps: object): Promise<DiscoveryService>;
      factory(deps: object, ctx: DiscoveryService): Promise<DiscoveryService>;
    };
    const context = await factory.createRootContext({ config: new ConfigReader({}) });

    const a = await factory.factory({}, context);
    const b = await factory.factory({}, context);

    expect(a).toBe(b);
    expect(await a.getBaseUrl('x')).toBe('http://localhost:7007/api/x');
    expect(discoveryServiceFactory).toMatchObject({
      service: { id: 'core.discovery', scope: 'plugin' },
    });
  });
});
