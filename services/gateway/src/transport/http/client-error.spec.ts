import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './client-error';

// Found by the REST fuzz (test/rest-fuzz.sys-spec.ts): a request line or headers over Node's limit were answered
// with a bare `431` and no body, outside the error shape of SPEC §9.
describe('answerClientErrors', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers headers over the limit with 431 in the error shape', async () => {
    const res = await fetch(`${url}/`, { headers: { 'x-big': 'x'.repeat(100_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      error: { code: 'HEADERS_TOO_LARGE', message: 'Request line or headers are too large' },
    });
  });

  it('answers a query string over the limit the same way', async () => {
    const res = await fetch(`${url}/?q=${'x'.repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('HEADERS_TOO_LARGE');
  });

  it('still serves a request within the limit', async () => {
    const res = await fetch(`${url}/`, { headers: { 'x-small': 'x'.repeat(1_000) } });
    expect(await res.text()).toBe('ok');
  });
});
