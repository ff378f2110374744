import express from 'express';
import request from 'supertest';
import { InputError, NotFoundError } from '@backplane/plugin-api';
import { mockErrorHandler } from './mockErrorHandler';

function appThrowing(error: unknown) {
  const router = express.Router();
  router.get('/items/:id', () => {
    throw error;
  });
  return express().use('/api/items', router).use(mockErrorHandler());
}

describe('mockErrorHandler', () => {
  it('should answer a NotFoundError with 404 and the standard error body', async () => {
    const app = appThrowing(new NotFoundError("No item 'x'"));
    const response = await request(app).get('/api/items/items/x?full=1').expect(404);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual({
      error: { name: 'NotFoundError', message: "No item 'x'" },
      request: { method: 'GET', url: '/api/items/items/x?full=1' },
      response: { statusCode: 404 },
    });
  });

  it('should take the status from the error name, an explicit statusCode, or else 500', async () => {
    await request(appThrowing(new InputError('bad id')))
      .get('/api/items/items/1')
      .expect(400)
      .expect(res => expect(res.body.error).toEqual({ name: 'InputError', message: 'bad id' }));
    await request(appThrowing(Object.assign(new Error('slow down'), { statusCode: 429 })))
      .get('/api/items/items/1')
      .expect(429)
      .expect(res => expect(res.body.response).toEqual({ statusCode: 429 }));
    await request(appThrowing(new TypeError('boom')))
      .get('/api/items/items/1')
      .expect(500, {
        error: { name: 'TypeError', message: 'boom' },
        request: { method: 'GET', url: '/api/items/items/1' },
        response: { statusCode: 500 },
      });
  });

  it('should accept the arguments of the Backstage version', () => {
    expect(mockErrorHandler({})).toHaveLength(4);
  });
});
