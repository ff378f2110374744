// @ts-check
'use strict';

// The example plugin's two routes on plain node:http: no framework at all.
const http = require('node:http');
const { readServerEnv } = require('./serverEnv');
const { createPlainItems } = require('./plainItems');

const env = readServerEnv();
const items = createPlainItems(env);

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  if (req.method === 'GET' && pathname === '/api/example/health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (req.method === 'GET' && pathname === '/api/example/items') {
    if (!items.isAuthorized(req.headers.authorization)) {
      sendJson(res, 401, {
        error: { name: 'AuthenticationError', message: 'Missing credentials' },
      });
      return;
    }
    items.listItems().then(
      list => sendJson(res, 200, { items: list }),
      error => sendJson(res, 500, { error: { name: 'Error', message: String(error) } }),
    );
    return;
  }
  sendJson(res, 404, { error: { name: 'NotFoundError', message: `No route for ${pathname}` } });
});

server.listen(env.port, env.host);

function stop() {
  server.close();
  server.closeAllConnections();
  items.knex.destroy().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
