import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../error-handler';
import { MAX_JSON_DEPTH, jsonBody, nestsDeeperThan } from './body.middleware';

describe('JSON bodies', () => {
  let url = '';
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = express();
    app.use(...jsonBody('200kb'));
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

  it('answers 400 in the error shape to a body nested deeper than MAX_JSON_DEPTH (found by the REST fuzz)', async () => {
    const nested = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    for (const body of [
      nested(MAX_JSON_DEPTH + 1),
      nested(50_000),
      `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_001)}`,
    ]) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'INVALID_ARGUMENT',
          message: `Request body nests deeper than ${MAX_JSON_DEPTH} levels`,
        },
      });
    }
    const deepest = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: nested(MAX_JSON_DEPTH),
    });
    expect(deepest.status).toBe(200);
  });
});

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: [] }] }, 3)).toBe(true);
  });
});
