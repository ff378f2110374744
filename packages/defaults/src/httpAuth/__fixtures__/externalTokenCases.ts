import { hmacToken, now } from '../../auth/__fixtures__/keys';
import { bearer, illegal, type TokenCase } from './hostileCases';

/** External access tokens that must be refused, or that may not call plugin `target`. */
export const externalTokenCases: TokenCase[] = [
  {
    name: 'a static token restricted to other plugins',
    authorization: () => 'Bearer static-elsewhere-token',
    expect: {
      status: 403,
      name: 'NotAllowedError',
      message:
        "This token's access is restricted to plugin(s) 'other', 'search', so it may not call plugin 'target'",
    },
  },
  {
    name: 'a static token in another case',
    authorization: () => 'Bearer STATIC-OK-TOKEN',
    expect: illegal,
  },
  {
    name: 'a static token with a suffix',
    authorization: () => 'Bearer static-ok-token2',
    expect: illegal,
  },
  {
    name: 'a prefix of a static token',
    authorization: () => 'Bearer static-ok-toke',
    expect: illegal,
  },
  {
    name: 'a legacy token with the wrong secret',
    authorization: bearer(() =>
      hmacToken('not the shared secret', {}, { sub: 'backstage-server', exp: now(60) }),
    ),
    expect: illegal,
  },
  {
    name: 'a legacy token without exp',
    authorization: bearer(() =>
      hmacToken(
        Buffer.from('legacy shared secret 0123456789').toString(),
        {},
        { sub: 'backstage-server' },
      ),
    ),
    expect: illegal,
  },
  {
    name: 'an expired legacy token',
    authorization: bearer(() =>
      hmacToken(
        Buffer.from('legacy shared secret 0123456789').toString(),
        {},
        { sub: 'backstage-server', exp: now(-60) },
      ),
    ),
    expect: illegal,
  },
];
