import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backplane/test-utils';
import { examplePlugin } from './plugin';

describe('examplePlugin', () => {
  const databases = TestDatabases.create();

  it('should serve /health without credentials', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });

    await request(server).get('/api/example/health').expect(200, { status: 'ok' });
  });

  it('should answer 401 on /items without credentials and 200 with them', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });

    const denied = await request(server)
      .get('/api/example/items')
      .set('Authorization', mockCredentials.none.header());
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
      request: { method: 'GET', url: '/items' },
      response: { statusCode: 401 },
    });

    await request(server)
      .get('/api/example/items')
      .set('Authorization', mockCredentials.user.header())
      .expect(200, { items: [] });
  });

  it('should refuse an item without a title with a 400 naming the field', async () => {
    const { server } = await startTestBackend({ features: [examplePlugin] });

    const response = await request(server)
      .post('/api/example/items')
      .set('Authorization', mockCredentials.user.header())
      .send({ title: '' });

    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message: "Body field 'title' must be a non-empty string of at most 200 characters.",
    });
  });

  it.each(databases.eachSupportedId())('should store and list items on %s', async databaseId => {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [examplePlugin, mockServices.database.factory({ knex })],
    });
    const auth = mockCredentials.user.header('user:default/alice');

    const created = await request(server)
      .post('/api/example/items')
      .set('Authorization', auth)
      .send({ title: 'first' })
      .expect(201);
    expect(created.body).toMatchObject({ id: 1, title: 'first', createdBy: 'user:default/alice' });

    const listed = await request(server).get('/api/example/items').set('Authorization', auth);
    expect(listed.body.items).toEqual([created.body]);
  });
});
