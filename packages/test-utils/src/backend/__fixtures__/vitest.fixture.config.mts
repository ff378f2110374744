// Runs the fixtures of this folder with the repository's Vitest settings.
import base from '../../../../../vitest.config.mjs';

export default {
  ...base,
  test: { ...base.test, include: ['packages/test-utils/src/backend/__fixtures__/*.fixture.ts'] },
};
