import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { errorHandler } from '../error-handler';
import { admission } from './admission.middleware';

describe('admission control', () => {
  let url = '';
  let server: Server;
  let running = 0;
  let peak = 0;
  // the served requests hold their slots until the test opens the gate
  let openGate: () => void = () => undefined;
  let gate = Promise.resolve();

  beforeAll(async () => {
    const app = express();
    app.use(admission({ maxInFlight: 2, maxQueued: 2, maxQueueMs: 30_000 }, 7));
    app.get('/slow', async (_req, res) => {
      running += 1;
      peak = Math.max(peak, running);
      await gate;
      running -= 1;
      res.json({ ok: true });
    });
    app.use(errorHandler({ retryAfterSeconds: 7 }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves up to its bounds and answers the rest 503 with Retry-After at once', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    let gateOpen = false;
    const answers = Array.from({ length: 12 }, async () => {
      const res = await fetch(url);
      const body = (await res.json()) as { error?: { code: string } };
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        code: body.error?.code,
        beforeGate: !gateOpen,
      };
    });
    // two run, two wait: the eight others are answered while the gate is still shut
    let refusedSoFar = 0;
    for (const answer of answers) void answer.then((a) => (refusedSoFar += a.status === 503 ? 1 : 0));
    const waitUntil = Date.now() + 20_000;
    while (refusedSoFar < 8 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    gateOpen = true;
    openGate();
    const settled = await Promise.all(answers);
    const served = settled.filter((a) => a.status === 200);
    const refused = settled.filter((a) => a.status !== 200);
    expect(served).toHaveLength(4);
    expect(refused).toHaveLength(8);
    for (const a of refused) {
      expect(a).toMatchObject({ status: 503, retryAfter: '7', code: 'UNAVAILABLE', beforeGate: true });
    }
    expect(peak).toBe(2);
    // the slots came back: a later request is served
    expect((await fetch(url)).status).toBe(200);
  });

  it('frees the slot of a client that went away', async () => {
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const gone = controllers.map((c) => fetch(url, { signal: c.signal }).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 20));
    for (const c of controllers) c.abort();
    await Promise.all(gone);
    await new Promise((r) => setTimeout(r, 250));
    const after = await Promise.all([fetch(url), fetch(url)]);
    expect(after.map((r) => r.status)).toEqual([200, 200]);
  });
});
