import * as official from '@backstage/backend-plugin-api';
import * as ours from '../index';

const shape = (value: object) =>
  Object.fromEntries(
    Object.entries(value)
      .map(([k, v]) => [
        k,
        typeof v === 'function' ? 'function' : v === undefined ? 'undefined' : k,
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );

describe('wire format', () => {
  it('should make service refs with the same fields as @backstage/backend-plugin-api', () => {
    const a = ours.createServiceRef({ id: 'test.ref' });
    const b = official.createServiceRef({ id: 'test.ref' });
    expect(shape(a)).toEqual(shape(b));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(String(a)).toBe(String(b));
  });

  it('should make root and multiton refs with the same fields', () => {
    const a = ours.createServiceRef({ id: 'test.root', scope: 'root', multiton: true });
    const b = official.createServiceRef({ id: 'test.root', scope: 'root', multiton: true });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('should make service factories with the same fields', () => {
    const refA = ours.createServiceRef<number>({ id: 'test.ref' });
    const refB = official.createServiceRef<number>({ id: 'test.ref' });
    const a = ours.createServiceFactory({ service: refA, deps: {}, factory: () => 1 });
    const b = official.createServiceFactory({ service: refB, deps: {}, factory: () => 1 });
    expect(shape(a)).toEqual(shape(b));

    const withContextA = ours.createServiceFactory({
      service: refA,
      deps: {},
      createRootContext: () => 'ctx',
      factory: () => 1,
    });
    const withContextB = official.createServiceFactory({
      service: refB,
      deps: {},
      createRootContext: () => 'ctx',
      factory: () => 1,
    });
    expect(shape(withContextA)).toEqual(shape(withContextB));
  });

  it('should make plugins whose registrations match the current family', () => {
    const register = (reg: any) => {
      reg.registerExtensionPoint(ours.createExtensionPoint({ id: 'test.ep' }), { x: 1 });
      reg.registerInit({ deps: { logger: ours.coreServices.logger }, init: async () => {} });
    };
    const a = ours.createBackendPlugin({ pluginId: 'test', register }) as any;
    const b = official.createBackendPlugin({ pluginId: 'test', register }) as any;
    expect(shape(a)).toEqual(shape(b));
    const [ra] = a.getRegistrations();
    const [rb] = b.getRegistrations();
    expect(Object.keys(ra).sort()).toEqual(Object.keys(rb).sort());
    expect(ra.type).toBe('plugin-v1.1');
    expect(ra.extensionPoints[0].factory({ reportModuleStartupFailure() {} })).toEqual({ x: 1 });
    expect(rb.extensionPoints[0].factory({ reportModuleStartupFailure() {} })).toEqual({ x: 1 });
  });

  it('should make modules whose registrations match the current family', () => {
    const register = (reg: any) => reg.registerInit({ deps: {}, init: async () => {} });
    const a = ours.createBackendModule({ pluginId: 'test', moduleId: 'mod', register }) as any;
    const b = official.createBackendModule({ pluginId: 'test', moduleId: 'mod', register }) as any;
    const [ra] = a.getRegistrations();
    const [rb] = b.getRegistrations();
    expect({ ...ra, init: undefined }).toEqual({ ...rb, init: undefined });
  });

  it('should match core service ids and scopes of the official package', () => {
    for (const [key, ref] of Object.entries(official.coreServices)) {
      const mine = (ours.coreServices as Record<string, ours.ServiceRef<unknown>>)[key];
      expect(mine, `coreServices.${key}`).toBeDefined();
      expect(JSON.stringify(mine)).toBe(JSON.stringify(ref));
    }
  });
});

describe('createBackendPlugin', () => {
  it('should reject an invalid plugin id with the code, the rule and a fixed id', () => {
    expect(() => ours.createBackendPlugin({ pluginId: 'My Plugin', register() {} })).toThrow(
      "BACKPLANE_INVALID_ID: Invalid pluginId 'My Plugin' given to createBackendPlugin: an id must start with a letter, hold only letters a-z (either case) and digits, and separate words with a single dash or underscore (the pattern /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/i). Use, for example, 'my-plugin'.",
    );
  });

  it('should report a missing registerInit when registrations are read', () => {
    const plugin = ours.createBackendPlugin({ pluginId: 'lazy', register() {} }) as any;
    expect(() => plugin.getRegistrations()).toThrow(
      "plugin 'lazy' did not call registerInit in its register function; add one.",
    );
  });

  it('should refuse a second registerInit', () => {
    const plugin = ours.createBackendPlugin({
      pluginId: 'twice',
      register(reg) {
        reg.registerInit({ deps: {}, init: async () => {} });
        reg.registerInit({ deps: {}, init: async () => {} });
      },
    }) as any;
    expect(() => plugin.getRegistrations()).toThrow(
      "plugin 'twice': registerInit may only be called once.",
    );
  });
});

describe('errors', () => {
  it('should keep the names the official runtime maps to statuses', () => {
    const names = [
      ['InputError', 400],
      ['AuthenticationError', 401],
      ['NotAllowedError', 403],
      ['NotFoundError', 404],
      ['ConflictError', 409],
      ['NotModifiedError', 304],
      ['NotImplementedError', 501],
      ['ServiceUnavailableError', 503],
    ] as const;
    for (const [name, status] of names) {
      const ErrorClass = (ours as any)[name];
      const error = new ErrorClass('boom', new Error('root cause'));
      expect(error.name).toBe(name);
      expect(error.message).toBe('boom; caused by Error: root cause');
      expect(error.cause.message).toBe('root cause');
      expect(ours.statusCodeByErrorName[name]).toBe(status);
    }
  });
});
