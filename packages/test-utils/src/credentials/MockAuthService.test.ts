import { MockAuthService } from './MockAuthService';
import { mockCredentials } from './mockCredentials';

describe('MockAuthService', () => {
  const auth = new MockAuthService({ pluginId: 'test' });

  it('should authenticate user tokens and reject the invalid one', async () => {
    await expect(auth.authenticate(mockCredentials.user.token())).resolves.toEqual(
      mockCredentials.user(),
    );
    await expect(
      auth.authenticate(mockCredentials.user.token('user:default/alice')),
    ).resolves.toEqual(mockCredentials.user('user:default/alice'));
    await expect(auth.authenticate(mockCredentials.user.invalidToken())).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: 'User token is invalid',
    });
  });

  it('should accept limited user tokens only where limited access is allowed', async () => {
    const token = mockCredentials.limitedUser.token('user:default/alice');
    await expect(auth.authenticate(token)).rejects.toThrow('Limited user token is not allowed');
    await expect(auth.authenticate(token, { allowLimitedAccess: true })).resolves.toEqual(
      mockCredentials.user('user:default/alice'),
    );
    await expect(
      auth.authenticate(mockCredentials.limitedUser.invalidToken(), { allowLimitedAccess: true }),
    ).rejects.toThrow('Limited user token is invalid');
  });

  it('should authenticate service tokens and check their target plugin', async () => {
    await expect(auth.authenticate(mockCredentials.service.token())).resolves.toEqual(
      mockCredentials.service(),
    );
    const own = await auth.getOwnServiceCredentials();
    expect(own).toEqual(mockCredentials.service('plugin:test'));
    await expect(
      auth.authenticate(mockCredentials.service.token({ onBehalfOf: own, targetPluginId: 'test' })),
    ).resolves.toEqual(mockCredentials.service('plugin:test'));
    await expect(
      auth.authenticate(
        mockCredentials.service.token({ onBehalfOf: own, targetPluginId: 'other' }),
      ),
    ).rejects.toThrow("Invalid mock token target plugin ID, got 'other' but expected 'test'");
    await expect(
      auth.authenticate(
        mockCredentials.service.token({
          onBehalfOf: mockCredentials.user('user:default/alice'),
          targetPluginId: 'test',
        }),
      ),
    ).resolves.toEqual(mockCredentials.user('user:default/alice'));
    await expect(auth.authenticate(mockCredentials.service.invalidToken())).rejects.toThrow(
      'Service token is invalid',
    );
  });

  it('should reject empty, unknown and malformed tokens with AuthenticationError', async () => {
    await expect(auth.authenticate('')).rejects.toThrow('Token is empty');
    await expect(auth.authenticate('not-a-mock-token')).rejects.toThrow(
      "Unknown mock token 'not-a-mock-token'",
    );
    await expect(auth.authenticate('mock-user-token:{bad')).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining(
        "Invalid mock token 'mock-user-token:{bad': the JSON payload does not parse; caused by SyntaxError",
      ),
    });
  });

  it('should issue plugin request tokens that the target plugin accepts', async () => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: mockCredentials.user('user:default/alice'),
      targetPluginId: 'other',
    });
    expect(token).toBe('mock-service-token:{"obo":"user:default/alice","target":"other"}');
    await expect(new MockAuthService({ pluginId: 'other' }).authenticate(token)).resolves.toEqual(
      mockCredentials.user('user:default/alice'),
    );
    await expect(
      auth.getPluginRequestToken({ onBehalfOf: mockCredentials.none(), targetPluginId: 'other' }),
    ).rejects.toThrow("Refused to issue service token for credential type 'none'");
    await expect(
      new MockAuthService({
        pluginId: 'test',
        disableDefaultAuthPolicy: true,
      }).getPluginRequestToken({
        onBehalfOf: mockCredentials.none(),
        targetPluginId: 'other',
      }),
    ).resolves.toEqual({ token: '' });
  });

  it('should issue limited user tokens for users only', async () => {
    await expect(auth.getLimitedUserToken(mockCredentials.user())).resolves.toEqual({
      token: mockCredentials.limitedUser.token(),
      expiresAt: expect.any(Date),
    });
    await expect(auth.getLimitedUserToken(mockCredentials.service() as any)).rejects.toThrow(
      "Refused to issue limited user token for credential type 'service'",
    );
  });

  it('should check principal types and list no keys', async () => {
    expect(auth.isPrincipal(mockCredentials.user(), 'user')).toBe(true);
    expect(auth.isPrincipal(mockCredentials.user(), 'service')).toBe(false);
    expect(auth.isPrincipal(mockCredentials.none(), 'unknown')).toBe(true);
    await expect(auth.getNoneCredentials()).resolves.toEqual(mockCredentials.none());
    await expect(auth.listPublicServiceKeys()).resolves.toEqual({ keys: [] });
  });
});
