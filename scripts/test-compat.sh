#!/usr/bin/env bash
# Runs the compatibility suite: real Backstage plugins from npm on Backplane, and the reverse.
# compat/ is its own npm project (pinned plugins and the official runtime); install it on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d compat/node_modules ] || [ compat/package-lock.json -nt compat/node_modules ]; then
  npm ci --prefix compat --no-audit --no-fund
fi
npx vitest run --config compat/vitest.config.mts
