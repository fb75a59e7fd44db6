import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: Array<{ name: string }> }>;
  }>;
}

const repoRoot = path.resolve(__dirname, '../../..');

describe('startTelemetry with an OTLP endpoint (real exporter in a child process)', () => {
  const received: Array<{ path: string; contentType: string; body: OtlpRequest }> = [];
  let server: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          contentType: String(req.headers['content-type']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Trailing slash on purpose: the exporter URL must still be <endpoint>/v1/traces.
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('exports on schedule and flushes on shutdown, as OTLP/HTTP JSON with service.name', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'libs/telemetry/test/fixtures/emit-spans.ts'], {
      cwd: repoRoot,
      env: { ...process.env, OTLP_ENDPOINT: endpoint },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });

    const namesPerRequest = received.map((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name))),
    );
    // Two separate exports: the scheduled one (500 ms batch delay) and the shutdown flush.
    expect(namesPerRequest).toEqual([['exported on schedule'], ['flushed on shutdown']]);
    for (const r of received) {
      expect(r.path).toBe('/v1/traces');
      expect(r.contentType).toContain('application/json');
      expect(r.body.resourceSpans[0]!.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'emit-spans' },
      });
    }
  }, 30_000);
});
