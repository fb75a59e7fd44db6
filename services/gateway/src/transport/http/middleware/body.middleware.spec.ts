import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../error-handler';
import { MAX_JSON_DEPTH, jsonBody, jsonBodyProblem } from './body.middleware';

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

  it('answers 400 naming the field to a string with a NUL character, which PostgreSQL cannot store (found by the REST fuzz)', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a\u0000b', ok: 'x\ud800' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'Text cannot contain the NUL character (U+0000)',
        details: { fields: [{ path: ['name'], message: 'Text cannot contain the NUL character (U+0000)' }] },
      },
    });
  });
});

describe('jsonBodyProblem', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(jsonBodyProblem(1, 0)).toBeUndefined();
    expect(jsonBodyProblem({}, 0)).toEqual({ kind: 'depth' });
    expect(jsonBodyProblem({ a: [1, { b: 'x' }] }, 3)).toBeUndefined();
    expect(jsonBodyProblem({ a: [1, { b: [] }] }, 3)).toEqual({ kind: 'depth' });
  });

  it('names where a NUL character is, in a value or a key', () => {
    expect(jsonBodyProblem({ a: [1, { b: 'x\u0000' }] })).toEqual({ kind: 'nul', path: ['a', 1, 'b'] });
    expect(jsonBodyProblem({ a: { 'k\u0000': 1 } })).toEqual({ kind: 'nul', path: ['a', 'k\u0000'] });
    expect(jsonBodyProblem({ a: 'x\ud800', b: '\u0001' })).toBeUndefined();
  });
});
