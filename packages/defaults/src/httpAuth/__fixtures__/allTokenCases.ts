import { externalTokenCases } from './externalTokenCases';
import { headerCases, type TokenCase } from './hostileCases';
import { pluginTokenCases } from './pluginTokenCases';
import { userTokenCases } from './userTokenCases';

/** Every bad-credential case of the hostile-request suite. */
export const tokenCases: TokenCase[] = [
  ...headerCases,
  ...pluginTokenCases,
  ...userTokenCases,
  ...externalTokenCases,
];
