import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../error-handler';
import { jsonBody } from './body.middleware';

describe('JSON bodies', () => {
  let url = '';
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = express();
    app.use(...jsonBody('1kb'));
    app.post('/echo', (req, res) => {
      res.json({ body: req.body ?? null });
    });
    app.use(errorHandler());
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('parses JSON and lets a POST without a body through', async () => {
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await json.json()).toEqual({ body: { a: 1 } });
    const empty = await fetch(url, { method: 'POST' });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ body: null });
  });

  it('answers 415 to a body of another type', async () => {
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a=1' });
    expect(text.status).toBe(415);
    const untyped = await fetch(url, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(untyped.status).toBe(415);
  });
});
