// @ts-check
'use strict';

// The example plugin's two routes on plain Fastify with its defaults (logger off).
const Fastify = require('fastify');
const { readServerEnv } = require('./serverEnv');
const { createPlainItems } = require('./plainItems');

const env = readServerEnv();
const items = createPlainItems(env);
const app = Fastify();

app.get('/api/example/health', async () => ({ status: 'ok' }));

app.get('/api/example/items', async (req, reply) => {
  if (!items.isAuthorized(req.headers.authorization)) {
    reply.code(401);
    return { error: { name: 'AuthenticationError', message: 'Missing credentials' } };
  }
  return { items: await items.listItems() };
});

app.listen({ port: env.port, host: env.host });

function stop() {
  app
    .close()
    .then(() => items.knex.destroy())
    .finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
