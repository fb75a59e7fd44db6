import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';

export type HealthCheck = () => Promise<void>;
export type HealthChecks = Record<string, HealthCheck>;

/** The part of a response both node:http and Express provide. */
export interface MinimalResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

const CHECK_TIMEOUT_MS = 2_000;

function sendJson(res: MinimalResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check in parallel (each time-boxed): `{ status: 'ok'|'fail', checks: { name: 'ok'|<message> } }`. */
export async function runChecks(
  checks: HealthChecks,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
  );
  return { ok: entries.every(([, r]) => r === 'ok'), checks: Object.fromEntries(entries) };
}

/** `GET /readyz` handler usable with node:http and Express: 200 when every check passes, else 503. */
export function readinessHandler(checks: HealthChecks, timeoutMs = CHECK_TIMEOUT_MS) {
  return (_req: unknown, res: MinimalResponse): void => {
    void runChecks(checks, timeoutMs).then(
      (r) => sendJson(res, r.ok ? 200 : 503, { status: r.ok ? 'ok' : 'fail', checks: r.checks }),
      () => sendJson(res, 503, { status: 'fail' }),
    );
  };
}

/** `GET /healthz` handler: the process is alive and serving. */
export function livenessHandler() {
  return (_req: unknown, res: MinimalResponse): void => sendJson(res, 200, { status: 'ok' });
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  checks: HealthChecks;
  logger: Logger;
  /** Serves `GET /metrics` (the Prometheus exporter's handler); left out, `/metrics` answers 404. */
  metrics?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/**
 * Starts a small HTTP server for Kubernetes probes and Prometheus: `/healthz` (liveness), `/readyz` (readiness)
 * and, when given a handler, `/metrics`.
 */
export async function startHealthServer(
  options: HealthServerOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const { port, host = '0.0.0.0', checks, logger, metrics } = options;
  const live = livenessHandler();
  const ready = readinessHandler(checks);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { status: 'method not allowed' });
    if (path === '/healthz') return live(req, res);
    if (path === '/readyz') return ready(req, res);
    if (path === '/metrics' && metrics) return metrics(req, res);
    sendJson(res, 404, { status: 'not found' });
  });
  // Probes should never keep the process alive during shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  logger.info({ port: actualPort }, 'health server listening');
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
