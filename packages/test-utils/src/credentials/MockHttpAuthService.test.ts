import type { Request, Response } from 'express';
import { MockHttpAuthService } from './MockHttpAuthService';
import { mockCredentials } from './mockCredentials';

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as Request;

describe('MockHttpAuthService', () => {
  const httpAuth = new MockHttpAuthService({ pluginId: 'test' });

  it('should read user and service credentials from the Authorization header', async () => {
    await expect(
      httpAuth.credentials(request({ authorization: mockCredentials.user.header() })),
    ).resolves.toEqual(mockCredentials.user());
    await expect(
      httpAuth.credentials(request({ authorization: mockCredentials.service.header() }), {
        allow: ['service'],
      }),
    ).resolves.toEqual(mockCredentials.service());
  });

  it('should treat a bare request as the default user, as the official mock does', async () => {
    await expect(httpAuth.credentials(request())).resolves.toEqual(mockCredentials.user());
  });

  it('should treat the none token as none and reject it where none is not allowed', async () => {
    const bare = request({ authorization: mockCredentials.none.header() });
    await expect(httpAuth.credentials(bare)).resolves.toEqual(mockCredentials.none());
    await expect(httpAuth.credentials(bare, { allow: ['user', 'service'] })).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: 'Missing credentials',
    });
    await expect(
      httpAuth.credentials(request({ authorization: mockCredentials.none.header() }), {
        allow: ['none'],
      }),
    ).resolves.toEqual(mockCredentials.none());
  });

  it('should use defaultCredentials for bare requests when given', async () => {
    const strict = new MockHttpAuthService({
      pluginId: 'test',
      defaultCredentials: mockCredentials.none(),
    });
    await expect(strict.credentials(request(), { allow: ['user'] })).rejects.toThrow(
      'Missing credentials',
    );
  });

  it('should reject a principal type that is not allowed with NotAllowedError', async () => {
    await expect(
      httpAuth.credentials(request({ authorization: mockCredentials.service.header() }), {
        allow: ['user'],
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: "This endpoint does not allow 'service' credentials",
    });
  });

  it('should reject invalid tokens with AuthenticationError', async () => {
    await expect(
      httpAuth.credentials(request({ authorization: mockCredentials.user.invalidHeader() })),
    ).rejects.toMatchObject({ name: 'AuthenticationError', message: 'User token is invalid' });
  });

  it('should read the limited user cookie only where limited access is allowed', async () => {
    const req = request({
      cookie: `a=b; ${mockCredentials.limitedUser.cookie('user:default/alice')}`,
    });
    await expect(httpAuth.credentials(req, { allow: ['user'] })).resolves.toEqual(
      mockCredentials.user(),
    );
    await expect(
      httpAuth.credentials(req, { allow: ['user'], allowLimitedAccess: true }),
    ).resolves.toEqual(mockCredentials.user('user:default/alice'));
    await expect(
      httpAuth.credentials(request({ cookie: mockCredentials.limitedUser.invalidCookie() }), {
        allowLimitedAccess: true,
      }),
    ).rejects.toThrow('Limited user token is invalid');
  });

  it('should issue a limited user cookie for the caller', async () => {
    const headers: Record<string, string> = {};
    const res = {
      req: request({ authorization: mockCredentials.user.header('user:default/alice') }),
      setHeader: (name: string, value: string) => (headers[name] = value),
    } as unknown as Response;
    await expect(httpAuth.issueUserCookie(res)).resolves.toEqual({ expiresAt: expect.any(Date) });
    expect(headers['Set-Cookie']).toBe(mockCredentials.limitedUser.cookie('user:default/alice'));
  });
});
