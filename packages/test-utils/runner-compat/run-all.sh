#!/usr/bin/env bash
# Runs the runner-compat example under node:test, Vitest and Jest, against the built package.
# Each run must pass and its process must exit by itself (no force-exit flag) within 90 s.
set -euo pipefail
cd "$(dirname "$0")/../../.."
npx tsc -b packages/test-utils

echo '--- node:test'
timeout 90 node --test packages/test-utils/runner-compat/example.test.js
echo '--- vitest'
timeout 90 npx vitest run --config packages/test-utils/runner-compat/vitest.config.mjs
echo '--- jest'
if [ ! -x node_modules/.bin/jest ]; then
  echo 'jest is not installed: add "jest" to the devDependencies of the root package.json' >&2
  exit 1
fi
timeout 90 node_modules/.bin/jest --config packages/test-utils/runner-compat/jest.config.js
