import { request } from 'node:http';

/**
 * Sends a GET with the request target exactly as given. `fetch` normalises `%2e%2e` segments
 * away (WHATWG URL rules), so path traversal checks need the raw target.
 */
export function rawGet(
  port: number,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolveResponse, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method: 'GET', headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolveResponse({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
