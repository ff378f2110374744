// The floor of a one-test file: the same runner and config with no backend at all.
import { expect, it } from 'vitest';

it('should run one test', () => {
  expect(1 + 1).toBe(2);
});
