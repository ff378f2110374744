import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake upstream server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A fake upstream server on 127.0.0.1 that records what it received. */
export interface FakeServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** What a fake server answers: status, JSON-able body or raw text, headers. */
export interface FakeResponse {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Starts an HTTP server on a random loopback port. `handle` sees each request with its whole
 * body and returns the response; the request is recorded in `requests` first.
 */
export async function startFakeServer(
  handle: (request: ReceivedRequest) => FakeResponse | Promise<FakeResponse>,
): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      try {
        const answer = await handle(received);
        const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '');
        res.writeHead(answer.status ?? 200, {
          'content-type': answer.json !== undefined ? 'application/json' : 'text/plain',
          ...answer.headers,
        });
        res.end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  await new Promise<void>(resolveListen => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>(resolveClose => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** An echo server: answers every request with its method, path, headers and body as JSON. */
export function startEchoServer(): Promise<FakeServer> {
  return startFakeServer(request => ({
    json: {
      method: request.method,
      path: request.url,
      headers: request.headers,
      body: request.body.toString('utf8'),
    },
  }));
}
