import { describe, expect, it } from 'vitest';
import { ConfigReader } from '@backplane/defaults/rootConfig';
import { DefaultConnectionsService } from './DefaultConnectionsService';

const config = new ConfigReader({
  connections: [
    {
      type: 'github',
      host: 'github.com',
      auth: [
        { method: 'app', appId: 1, match: { plugins: ['catalog'] } },
        { method: 'token', token: 'secret-token' },
      ],
    },
    { type: 'github', host: 'ghe.example.com', title: 'GHE', match: { plugins: ['scaffolder'] } },
  ],
});

describe('DefaultConnectionsService', () => {
  it('should find a connection by host and pick the preferred auth method', async () => {
    const connections = DefaultConnectionsService.fromConfig(config);
    const catalog = connections.forPlugin('catalog');
    await expect(
      catalog.find({ type: 'github', query: { url: 'https://github.com/org/repo' } }),
    ).resolves.toEqual({ type: 'github', host: 'github.com', title: 'github' });
    await expect(
      catalog.find({
        type: 'github',
        query: { url: 'https://github.com/org/repo' },
        authMethods: ['app', 'token'],
      }),
    ).resolves.toMatchObject({ auth: { method: 'app', appId: 1, title: 'app' } });
    await expect(
      connections.forPlugin('search').find({
        type: 'github',
        query: { url: 'https://github.com/x' },
        authMethods: ['app', 'token'],
      }),
    ).resolves.toMatchObject({ auth: { method: 'token', token: 'secret-token' } });
  });

  it('should hide connections that do not match the plugin, with a clear error', async () => {
    const connections = DefaultConnectionsService.fromConfig(config);
    await expect(
      connections
        .forPlugin('catalog')
        .find({ type: 'github', query: { url: 'https://ghe.example.com/a' } }),
    ).rejects.toThrow(
      "No connection of type 'github' matches {\"url\":\"https://ghe.example.com/a\"} for plugin 'catalog'; add one under 'connections' in app-config.yaml.",
    );
    await expect(
      connections.forPlugin('scaffolder').find({
        type: 'github',
        query: { url: 'https://ghe.example.com/a' },
        authMethods: ['app'],
      }),
    ).rejects.toThrow(
      "Connection 'GHE' of type 'github' has no auth method among 'app' for plugin 'scaffolder'.",
    );
  });

  it('should reject malformed config', () => {
    expect(() =>
      DefaultConnectionsService.fromConfig(new ConfigReader({ connections: [{ host: 'x' }] })),
    ).toThrow("Config 'connections[0]' needs a 'type'.");
  });
});
