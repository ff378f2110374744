#!/usr/bin/env bash
# End-to-end check of the plugin author's path, as CI runs it:
#   1. generate a backend plugin and a module with the non-interactive form of `backplane new`
#      into a temporary repository (the plugin is also added to a backend there),
#   2. build the repository with `tsc -b tsconfig.build.json`, whose references `backplane new`
#      extended, then build both packages on their own and run their tests and lint,
#   3. run the built backend and call the plugin's /health,
#   4. start the backend with `backplane start` and call the plugin's /health and /me.
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

step "Build @backplane/defaults and what it depends on, whose types and dist the packages use"
# Tests and `backplane start` use the TypeScript sources of the Backplane packages; the built
# backend uses their dist.
(cd "$REPO" && npx tsc -b packages/defaults)

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
cat >"$WORK/tsconfig.build.json" <<'JSON'
{
  "files": [],
  "references": [
    { "path": "backend" }
  ]
}
JSON
cat >"$WORK/backend/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "Node16",
    "moduleResolution": "Node16",
    "strict": true,
    "declaration": true,
    "composite": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "types": ["node"],
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
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
for package in example-backend example-backend-module-foo; do
  grep -q "\"path\": \"plugins/$package\"" tsconfig.build.json ||
    fail "plugins/$package was not added to the references of tsconfig.build.json"
  grep -q "\"path\": \"../plugins/$package\"" backend/tsconfig.json ||
    fail "plugins/$package was not added to the references of backend/tsconfig.json"
done

# What `npm install` would do for the new workspace packages.
ln -s "$WORK/plugins/example-backend" "$WORK/node_modules/@internal/plugin-example-backend"
ln -s "$WORK/plugins/example-backend-module-foo" \
  "$WORK/node_modules/@internal/plugin-example-backend-module-foo"

step "Build the repository with tsc -b tsconfig.build.json, which builds the new packages first"
npx tsc -b tsconfig.build.json
for dir in plugins/example-backend plugins/example-backend-module-foo backend; do
  [ -f "$WORK/$dir/dist/index.js" ] || fail "tsc -b tsconfig.build.json did not build $dir"
done

for package in example-backend example-backend-module-foo; do
  step "Build, test and lint plugins/$package"
  (cd "$WORK/plugins/$package" && npm run --silent build && npm test --silent && npm run --silent lint)
  [ -f "$WORK/plugins/$package/dist/index.js" ] || fail "plugins/$package/dist/index.js was not built"
done

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
HEALTH="http://127.0.0.1:$PORT/api/example/health"

wait_for_health() {
  body=""
  for _ in $(seq 1 120); do
    if body="$(curl -fsS "$HEALTH" 2>/dev/null)"; then
      break
    fi
    kill -0 "$BACKEND_PID" 2>/dev/null || fail "the backend exited before answering $HEALTH"
    sleep 0.5
  done
  [ "${body:-}" = '{"status":"ok"}' ] || fail "GET $HEALTH answered '${body:-nothing}', expected {\"status\":\"ok\"}"
  echo "GET $HEALTH -> $body"
}

step "Lint the backend, which adds plugin packages and so must not be told not to import them"
backplane lint backend

step "Run the built backend and call the plugin"
node backend/dist/index.js --config app-config.yaml >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
wait_for_health
kill -TERM "$BACKEND_PID"
wait "$BACKEND_PID" 2>/dev/null || true
BACKEND_PID=""

step "Start the backend with backplane start and call the plugin"
backplane start --config app-config.yaml backend/src/index.ts >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
wait_for_health

ME_STATUS="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/example/me")"
[ "$ME_STATUS" = "401" ] || fail "GET /api/example/me without credentials answered $ME_STATUS, expected 401"
echo "GET /api/example/me without credentials -> 401"

grep -q "Module foo of plugin example is ready" "$WORK/backend.log" ||
  fail "the backend log does not show that module 'foo' started"
echo "The backend log shows module 'foo' of plugin 'example' started"

step "e2e passed"
