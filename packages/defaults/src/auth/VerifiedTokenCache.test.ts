import { describe, it, expect } from 'vitest';
import { VerifiedTokenCache } from './VerifiedTokenCache';

describe('VerifiedTokenCache', () => {
  it('should keep a verified token until it expires', async () => {
    const cache = new VerifiedTokenCache();
    const verified = {
      type: 'service' as const,
      subject: 'plugin:a',
      expiresAt: new Date(Date.now() + 500),
    };
    cache.set('t', verified);
    expect(cache.get('t')).toBe(verified);
    await new Promise(resolve => setTimeout(resolve, 600));
    expect(cache.get('t')).toBeUndefined();
  });

  it('should not keep results without an expiry', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', { type: 'service', subject: 'external:ci' });
    expect(cache.get('t')).toBeUndefined();
  });
});
