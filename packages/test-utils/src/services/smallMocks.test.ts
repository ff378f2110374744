import { mockCredentials } from '../credentials/mockCredentials';
import { MockEventsService } from './MockEventsService';
import { MockRootLoggerService } from './MockRootLoggerService';
import { MockUserInfoService } from './MockUserInfoService';
import { MockDiscoveryService } from './MockDiscoveryService';

describe('MockRootLoggerService', () => {
  it('should print nothing at level none and lines at or above the chosen level', () => {
    const lines: string[] = [];
    const write = (line: string) => void lines.push(line);
    new MockRootLoggerService({ level: 'none', write }).error('hidden');
    const logger = new MockRootLoggerService({ level: 'warn', write }).child({ plugin: 'example' });
    logger.info('hidden');
    logger.warn('shown', { id: 1 });
    logger.error('failed', new Error('boom'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ warn shown \{"plugin":"example","id":1\}\n$/);
    expect(lines[1]).toMatch(
      / error failed \{"plugin":"example","error":\{"name":"Error","message":"boom"/,
    );
  });
});

describe('MockEventsService', () => {
  it('should deliver published events to subscribers of the topic', async () => {
    const events = new MockEventsService();
    const seen: unknown[] = [];
    await events.subscribe({
      id: 'a',
      topics: ['t1'],
      onEvent: async e => void seen.push(e.eventPayload),
    });
    await events.publish({ topic: 't1', eventPayload: { n: 1 } });
    await events.publish({ topic: 't2', eventPayload: { n: 2 } });
    expect(seen).toEqual([{ n: 1 }]);
    expect(events.published.map(e => e.topic)).toEqual(['t1', 't2']);
  });
});

describe('MockUserInfoService', () => {
  it('should describe the user of the credentials, merged with custom info', async () => {
    await expect(new MockUserInfoService().getUserInfo(mockCredentials.user())).resolves.toEqual({
      userEntityRef: 'user:default/mock',
      ownershipEntityRefs: ['user:default/mock'],
    });
    await expect(
      new MockUserInfoService({ ownershipEntityRefs: ['group:default/team'] }).getUserInfo(
        mockCredentials.user(),
      ),
    ).resolves.toEqual({
      userEntityRef: 'user:default/mock',
      ownershipEntityRefs: ['group:default/team'],
    });
    await expect(new MockUserInfoService().getUserInfo(mockCredentials.service())).rejects.toThrow(
      "User info not available for principal type 'service'",
    );
  });
});

describe('MockDiscoveryService', () => {
  it('should place plugins under the base URL, read on every call', async () => {
    let port = 0;
    const discovery = new MockDiscoveryService(() => `http://localhost:${port}`);
    port = 7007;
    await expect(discovery.getBaseUrl('catalog')).resolves.toBe(
      'http://localhost:7007/api/catalog',
    );
    await expect(new MockDiscoveryService().getExternalBaseUrl('x')).resolves.toBe(
      'http://localhost:0/api/x',
    );
  });
});
