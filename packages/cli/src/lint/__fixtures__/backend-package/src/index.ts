import { createBackend } from '@backplane/defaults';
import catalogPlugin from '@backstage/plugin-catalog-backend';

const backend = createBackend();

// A backend is where plugins are added: these imports are what it is for.
backend.add(catalogPlugin);
backend.add(import('@internal/plugin-todo-backend'));
backend.add(import('@internal/plugin-todo-backend-module-extra'));

backend.start();
