import { createBackend } from '@backplane/defaults';
import catalogPlugin from '@backstage/plugin-catalog-backend';

const backend = createBackend();

// A backend is where plugins are added: these imports are what it is for.
backend.add(catalogPlugin);
backend.add(import('@backplane/plugin-example-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));
// A module in a package the backend does not depend on yet, required so that it type-checks.
backend.add(require('@internal/plugin-todo-backend-module-extra'));

backend.start();
