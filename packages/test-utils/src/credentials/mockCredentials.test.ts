import { mockCredentials } from './mockCredentials';

describe('mockCredentials', () => {
  it('should make none, user and service credentials', () => {
    expect(mockCredentials.none()).toEqual({
      $$type: '@backstage/BackstageCredentials',
      version: 'v1',
      principal: { type: 'none' },
    });
    expect(mockCredentials.user().principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/mock',
    });
    expect(
      mockCredentials.user('user:default/alice', { actor: { subject: 'plugin:x' } }).principal,
    ).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      actor: { type: 'service', subject: 'plugin:x' },
    });
    expect(mockCredentials.limitedUser('user:default/alice').principal).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
    });
    expect(mockCredentials.service().principal).toEqual({
      type: 'service',
      subject: 'external:test-service',
    });
    expect(mockCredentials.service('test', { permissionNames: ['do.it'] }).principal).toEqual({
      type: 'service',
      subject: 'test',
      accessRestrictions: { permissionNames: ['do.it'] },
    });
  });

  it('should carry the token of user credentials as a hidden property', () => {
    const credentials = mockCredentials.user('user:default/alice');
    expect((credentials as unknown as { token: string }).token).toBe(
      'mock-user-token:{"sub":"user:default/alice"}',
    );
    expect(Object.keys(credentials)).toEqual(['$$type', 'version', 'principal']);
    expect(String(credentials)).toBe('mockCredentials{userPrincipal{user:default/alice}}');
  });

  it('should produce the official wire values for tokens, headers and cookies', () => {
    expect(mockCredentials.none.header()).toBe('Bearer mock-none-token');
    expect(mockCredentials.user.token()).toBe('mock-user-token');
    expect(mockCredentials.user.header()).toBe('Bearer mock-user-token');
    expect(mockCredentials.user.header('user:default/alice')).toBe(
      'Bearer mock-user-token:{"sub":"user:default/alice"}',
    );
    expect(mockCredentials.user.invalidToken()).toBe('mock-invalid-user-token');
    expect(mockCredentials.user.invalidHeader()).toBe('Bearer mock-invalid-user-token');
    expect(mockCredentials.limitedUser.token()).toBe(
      'mock-limited-user-token:{"sub":"user:default/mock"}',
    );
    expect(mockCredentials.limitedUser.cookie('user:default/alice')).toBe(
      'backstage-auth=mock-limited-user-token:{"sub":"user:default/alice"}',
    );
    expect(mockCredentials.limitedUser.invalidToken()).toBe('mock-invalid-limited-user-token');
    expect(mockCredentials.limitedUser.invalidCookie()).toBe(
      'backstage-auth=mock-invalid-limited-user-token',
    );
    expect(mockCredentials.service.token()).toBe('mock-service-token');
    expect(mockCredentials.service.header()).toBe('Bearer mock-service-token');
    expect(
      mockCredentials.service.token({
        onBehalfOf: mockCredentials.service('external:other'),
        targetPluginId: 'other',
      }),
    ).toBe('mock-service-token:{"sub":"external:other","target":"other"}');
    expect(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.user('user:default/other'),
        targetPluginId: 'other',
      }),
    ).toBe('Bearer mock-service-token:{"obo":"user:default/other","target":"other"}');
    expect(mockCredentials.service.invalidToken()).toBe('mock-invalid-service-token');
    expect(mockCredentials.service.invalidHeader()).toBe('Bearer mock-invalid-service-token');
  });

  it('should reject user entity refs that are not <kind>:<namespace>/<name>', () => {
    for (const ref of ['wrong', 'wr:ong', 'wr/ong', 'wr/o:ng', 'wr:/ong']) {
      expect(() => mockCredentials.user(ref)).toThrow(
        `Invalid user entity reference '${ref}', expected <kind>:<namespace>/<name>`,
      );
    }
    expect(() => mockCredentials.user.header('wrong')).toThrow(
      "Invalid user entity reference 'wrong'",
    );
  });
});
