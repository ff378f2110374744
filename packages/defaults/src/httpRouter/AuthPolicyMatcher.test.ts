import { describe, expect, it } from 'vitest';
import { AuthPolicyMatcher, isCanonicalPath } from './AuthPolicyMatcher';

function matcher(policies: Array<[string, 'unauthenticated' | 'user-cookie']>) {
  const m = new AuthPolicyMatcher('demo');
  for (const [path, allow] of policies) {
    m.add({ path, allow });
  }
  return m;
}

describe('AuthPolicyMatcher', () => {
  const m = matcher([
    ['/health', 'unauthenticated'],
    ['/public/', 'unauthenticated'],
    ['/items/:id/preview', 'unauthenticated'],
    ['/static/:file', 'user-cookie'],
    ['/docs/*rest', 'user-cookie'],
  ]);

  it.each([
    // whole segments: the policy path and everything under it
    ['/health', 'unauthenticated'],
    ['/health/', 'unauthenticated'],
    ['/health/deep/er', 'unauthenticated'],
    ['/health?x=1', 'unauthenticated'],
    ['/health?next=/../private', 'unauthenticated'],
    ['/public', 'unauthenticated'],
    ['/public/a.txt', 'unauthenticated'],
    ['/items/42/preview', 'unauthenticated'],
    ['/items/42/preview/big', 'unauthenticated'],
    ['/items/a%20b/preview', 'unauthenticated'],
    ['/static/app.js', 'user-cookie'],
    ['/docs/a/b/c', 'user-cookie'],
    // look-alikes and other paths
    ['/healthz', 'protected'],
    ['/health.json', 'protected'],
    ['/health;v=1', 'protected'],
    ['/publicity', 'protected'],
    ['/public-x', 'protected'],
    ['/items/42', 'protected'],
    ['/items//preview', 'protected'],
    ['/static', 'protected'],
    ['/', 'protected'],
    ['/private?path=/health', 'protected'],
    // case: exact spelling only
    ['/Health', 'protected'],
    ['/HEALTH/', 'protected'],
    ['/PUBLIC/a.txt', 'protected'],
    // non-canonical forms never open
    ['//health', 'protected'],
    ['/health//', 'protected'],
    ['/health//x', 'protected'],
    ['/./health', 'protected'],
    ['/health/.', 'protected'],
    ['/health/..', 'protected'],
    ['/health/../private', 'protected'],
    ['/x/../health', 'protected'],
    ['/%2e/health', 'protected'],
    ['/health/%2e%2e/private', 'protected'],
    ['/health/%2E%2E/private', 'protected'],
    ['/health/.%2e/private', 'protected'],
    ['/health/..%2fprivate', 'protected'],
    ['/health%2f..%2fprivate', 'protected'],
    ['/public/..%5csecret', 'protected'],
    ['/public/..\\secret', 'protected'],
    ['/health#/../private', 'protected'],
    ['/health/%zz', 'protected'],
    ['/health/\u00e9', 'protected'],
    ['/items/..%2f..%2fprivate/preview', 'protected'],
    ['/static/../private', 'protected'],
  ])('should decide %s → %s', (path, decision) => {
    expect(m.decide(path)).toBe(decision);
  });

  it('should open everything for / and *, but still not non-canonical paths', () => {
    for (const path of ['/', '*']) {
      const all = matcher([[path, 'unauthenticated']]);
      expect(all.decide('/')).toBe('unauthenticated');
      expect(all.decide('/anything/at/all?x')).toBe('unauthenticated');
      expect(all.decide('/a/../b')).toBe('protected');
    }
  });

  it('should prefer unauthenticated over user-cookie when both match', () => {
    const both = matcher([
      ['/assets', 'user-cookie'],
      ['/assets/public', 'unauthenticated'],
    ]);
    expect(both.decide('/assets/public/x')).toBe('unauthenticated');
    expect(both.decide('/assets/private/x')).toBe('user-cookie');
  });

  it('should protect everything when there are no policies', () => {
    expect(new AuthPolicyMatcher('demo').decide('/health')).toBe('protected');
  });

  it('should refuse a path with the plugin mount prefix, saying what to write', () => {
    const m2 = new AuthPolicyMatcher('demo');
    expect(() => m2.add({ path: '/api/demo/health', allow: 'unauthenticated' })).toThrow(
      `addAuthPolicy({ path: "/api/demo/health" }) of plugin 'demo': policy paths are relative to the plugin, so drop the '/api/demo' prefix and write '/health'.`,
    );
    expect(() => m2.add({ path: '/API/Demo', allow: 'unauthenticated' })).toThrow(
      "so drop the '/api/demo' prefix and write '/'.",
    );
    expect(() => m2.add({ path: '/api/demonstration', allow: 'unauthenticated' })).not.toThrow();
  });

  it('should refuse relative paths, bad patterns and unknown allow values', () => {
    const m2 = new AuthPolicyMatcher('demo');
    expect(() => m2.add({ path: 'health', allow: 'unauthenticated' })).toThrow(
      `addAuthPolicy({ path: "health" }) of plugin 'demo': the path must start with '/' and be relative to the plugin, for example '/health'.`,
    );
    expect(() => m2.add({ path: '/x', allow: 'everyone' as any })).toThrow(
      `addAuthPolicy({ path: "/x" }) of plugin 'demo': 'allow' is "everyone"; it must be 'unauthenticated' or 'user-cookie'.`,
    );
    expect(() => m2.add({ path: '/x/(.*)', allow: 'unauthenticated' })).toThrow(
      `addAuthPolicy({ path: "/x/(.*)" }) of plugin 'demo': the path is not a valid pattern (`,
    );
  });
});

describe('isCanonicalPath', () => {
  it.each([
    ['/', true],
    ['/a/b/', true],
    ["/a-b_c.d~e!$&'()*+,;=:@/%41", true],
    ['', false],
    ['a', false],
    ['/a//b', false],
    ['/a/./b', false],
    ['/a/%2E', false],
    ['/a%2Fb', false],
    ['/a%5Cb', false],
    ['/a b', false],
    ['/a%2', false],
  ])('should judge %j canonical: %s', (path, expected) => {
    expect(isCanonicalPath(path)).toBe(expected);
  });
});
