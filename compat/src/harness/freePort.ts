import { createServer } from 'node:net';

/**
 * Finds a free TCP port on 127.0.0.1. Backends under test need a known port before they start,
 * because discovery builds each plugin's internal URL from `backend.listen.port`.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
