import http from 'node:http';
import { startHealthServer } from './health-server';
import { createLogger } from './logger';

const logger = createLogger('test', 'silent');

interface HealthBody {
  status?: string;
  checks?: Record<string, string>;
}

async function get(port: number, path: string): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('startHealthServer', () => {
  let ready = true;
  let server: Awaited<ReturnType<typeof startHealthServer>>;

  beforeAll(async () => {
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      checks: {
        database: async () => undefined,
        bus: async () => {
          if (!ready) throw new Error('nats disconnected');
        },
      },
    });
  });
  afterAll(() => server.close());

  it('binds a real port when given 0', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it('GET /healthz answers 200', async () => {
    expect(await get(server.port, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz answers 200 with every check ok', async () => {
    ready = true;
    expect(await get(server.port, '/readyz')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', bus: 'ok' } },
    });
  });

  it('GET /readyz answers 503 with the failing check message', async () => {
    ready = false;
    const res = await get(server.port, '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'ok', bus: 'nats disconnected' });
  });

  it('unknown paths answer 404, /metrics too when no handler is given', async () => {
    expect((await get(server.port, '/nope')).status).toBe(404);
    expect((await get(server.port, '/metrics')).status).toBe(404);
  });

  it('GET /metrics is answered by the given handler', async () => {
    const scraped = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      checks: {},
      metrics: (_req, res) => {
        res.setHeader('content-type', 'text/plain');
        res.end('probe_metric 1\n');
      },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${scraped.port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('probe_metric 1\n');
    } finally {
      await scraped.close();
    }
  });

  it('times out a hanging check after 2 s, running checks in parallel', async () => {
    const slow = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      checks: {
        hang1: () => new Promise<void>(() => undefined),
        hang2: () => new Promise<void>(() => undefined),
      },
    });
    try {
      const started = Date.now();
      const res = await get(slow.port, '/readyz');
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.body.checks?.hang1).toMatch(/timed out/);
      // Parallel: two hanging checks take ~2 s, not ~4 s.
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(3_500);
    } finally {
      await slow.close();
    }
  }, 10_000);

  it('close() stops listening', async () => {
    const other = await startHealthServer({ port: 0, host: '127.0.0.1', logger, checks: {} });
    await other.close();
    await expect(
      new Promise((resolve, reject) =>
        http.get(`http://127.0.0.1:${other.port}/healthz`, resolve).on('error', reject),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
