#!/usr/bin/env bash
# End-to-end check of the plugin author's path, as CI runs it:
#   1. generate a backend plugin and a module with the non-interactive form of `backplane new`
#      into a temporary repository (the plugin is also added to a backend there),
#   2. build both packages and run their tests and lint,
#   3. start the backend with `backplane start` and call the plugin's /health and /me.
#
# The temporary repository reuses this repository's node_modules through symlinks (no install).
# Usage: packages/cli/e2e/generate-and-run.sh   (KEEP_E2E_DIR=1 keeps the folder for a look)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BACKPLANE="$REPO/packages/cli/bin/backplane.js"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/backplane-e2e-XXXXXX")"
BACKEND_PID=""

cleanup() {
  local status=$?
  if [ -n "$BACKEND_PID" ] && kill -0 "$BACKEND_PID" 2>/dev/null; then
    kill -TERM "$BACKEND_PID" 2>/dev/null || true
    wait "$BACKEND_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$WORK/backend.log" ]; then
    echo "--- backend log ---" >&2
    cat "$WORK/backend.log" >&2
  fi
  if [ "${KEEP_E2E_DIR:-}" = "1" ]; then
    echo "Kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT

step() {
  printf '\n== %s\n' "$*"
}

fail() {
  echo "e2e failed: $*" >&2
  exit 1
}

step "Build @backplane/plugin-api, whose types the generated packages compile against"
# Tests and `backplane start` use the TypeScript sources of the other Backplane packages.
(cd "$REPO" && npx tsc -b packages/plugin-api)

step "Set up a repository in $WORK"
cat >"$WORK/package.json" <<'JSON'
{ "name": "e2e-repo", "private": true, "workspaces": ["plugins/*", "backend"] }
JSON
mkdir -p "$WORK/node_modules/.bin" "$WORK/node_modules/@internal"
for entry in "$REPO"/node_modules/*; do
  name="$(basename "$entry")"
  [ "$name" = "@internal" ] || [ -e "$WORK/node_modules/$name" ] || ln -s "$entry" "$WORK/node_modules/$name"
done
for tool in "$REPO"/node_modules/.bin/*; do
  ln -s "$tool" "$WORK/node_modules/.bin/$(basename "$tool")"
done
ln -sf "$BACKPLANE" "$WORK/node_modules/.bin/backplane"
export PATH="$WORK/node_modules/.bin:$PATH"

mkdir -p "$WORK/backend/src"
cat >"$WORK/backend/package.json" <<'JSON'
{ "name": "e2e-backend", "private": true }
JSON
cat >"$WORK/backend/src/index.ts" <<'TS'
import { createBackend } from '@backplane/defaults';

const backend = createBackend();

backend.start();
TS

step "Generate a plugin and a module with the non-interactive form"
cd "$WORK"
backplane new --select backend-plugin --option pluginId=example --option owner="" \
  --option addToBackend=true --backend backend/src/index.ts
backplane new --select backend-module --option pluginId=example --option moduleId=foo \
  --option addToBackend=true --backend backend/src/index.ts
grep -q "backend.add(import('@internal/plugin-example-backend'));" backend/src/index.ts ||
  fail "the plugin was not added to backend/src/index.ts"
grep -q "backend.add(import('@internal/plugin-example-backend-module-foo'));" backend/src/index.ts ||
  fail "the module was not added to backend/src/index.ts"

# What `npm install` would do for the new workspace packages.
ln -s "$WORK/plugins/example-backend" "$WORK/node_modules/@internal/plugin-example-backend"
ln -s "$WORK/plugins/example-backend-module-foo" \
  "$WORK/node_modules/@internal/plugin-example-backend-module-foo"

for package in example-backend example-backend-module-foo; do
  step "Build, test and lint plugins/$package"
  (cd "$WORK/plugins/$package" && npm run --silent build && npm test --silent && npm run --silent lint)
  [ -f "$WORK/plugins/$package/dist/index.js" ] || fail "plugins/$package/dist/index.js was not built"
done

step "Start the backend with backplane start and call the plugin"
PORT="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
cat >"$WORK/app-config.yaml" <<YAML
backend:
  baseUrl: http://127.0.0.1:$PORT
  listen:
    host: 127.0.0.1
    port: $PORT
  database:
    client: better-sqlite3
    connection: ':memory:'
YAML
backplane start --config app-config.yaml backend/src/index.ts >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!

HEALTH="http://127.0.0.1:$PORT/api/example/health"
for _ in $(seq 1 120); do
  if body="$(curl -fsS "$HEALTH" 2>/dev/null)"; then
    break
  fi
  kill -0 "$BACKEND_PID" 2>/dev/null || fail "the backend exited before answering $HEALTH"
  sleep 0.5
done
[ "${body:-}" = '{"status":"ok"}' ] || fail "GET $HEALTH answered '${body:-nothing}', expected {\"status\":\"ok\"}"
echo "GET $HEALTH -> $body"

ME_STATUS="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/example/me")"
[ "$ME_STATUS" = "401" ] || fail "GET /api/example/me without credentials answered $ME_STATUS, expected 401"
echo "GET /api/example/me without credentials -> 401"

grep -q "Module foo of plugin example is ready" "$WORK/backend.log" ||
  fail "the backend log does not show that module 'foo' started"
echo "The backend log shows module 'foo' of plugin 'example' started"

step "e2e passed"
