import { createBackend } from '@backplane/defaults';

const backend = createBackend();

// Sign in during development: GET /api/auth/dev/token?user=alice (see docs/auth.md).
backend.add(import('@backplane/plugin-auth-dev-backend'));
backend.add(import('@backplane/plugin-example-backend'));
backend.add(import('@backplane/plugin-uptime-backend'));

// Real Backstage plugins from npm, unchanged (see docs/compatibility.md).
backend.add(import('@backstage/plugin-proxy-backend'));
backend.add(import('@backstage/plugin-catalog-backend'));

backend.start();
