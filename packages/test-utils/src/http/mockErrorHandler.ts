import type { ErrorRequestHandler } from 'express';
import { createErrorHandler } from '@backplane/defaults/rootHttpRouter';
import { MockRootLoggerService } from '../services/MockRootLoggerService';

/**
 * An Express error handler for router tests that answers like a real backend: the status from the
 * error (its `statusCode`/`status`, else its name: `NotFoundError` 404, `InputError` 400, …, else
 * 500) and the standard body
 * `{ error: { name, message }, request: { method, url }, response: { statusCode } }`.
 * 5xx errors go to a silent mock root logger (`LOG_LEVEL` prints them). The arguments are
 * accepted for compatibility with `@backstage/backend-test-utils` and ignored.
 *
 * @example
 * ```ts
 * const app = express().use(await createRouter({ logger })).use(mockErrorHandler());
 * await request(app).get('/items/unknown').expect(404);
 * ```
 */
export function mockErrorHandler(_options?: {}, ..._args: never[]): ErrorRequestHandler {
  return createErrorHandler({ logger: new MockRootLoggerService() });
}
