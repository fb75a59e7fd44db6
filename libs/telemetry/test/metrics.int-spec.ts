import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { promSample as sample } from '@helpdesk/testing';

const repoRoot = path.resolve(__dirname, '../../..');

describe('/metrics of an instrumented process', () => {
  let body = '';
  let status = 0;
  let contentType = '';

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'libs/telemetry/test/fixtures/serve-metrics.ts'],
      { cwd: repoRoot, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
    );
    ({ body, status, contentType } = JSON.parse(stdout) as {
      body: string;
      status: number;
      contentType: string;
    });
  }, 40_000);

  it('answers the Prometheus text format on the health server', () => {
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('# TYPE http_server_request_duration histogram');
  });

  it('counts HTTP requests per route template and status, never by raw path', () => {
    const route = { http_route: '/api/v1/tickets/:id', service_name: 'serve-metrics' };
    expect(
      sample(body, 'http_server_request_duration_count', { ...route, http_response_status_code: '200' }),
    ).toBe(2);
    expect(
      sample(body, 'http_server_request_duration_count', { ...route, http_response_status_code: '404' }),
    ).toBe(1);
    // the ids and the address the requests carried appear nowhere, nor do the probe and the scrape
    expect(body).not.toContain('3f0c9a7e-1111-4222-8333-944445555666');
    expect(body).not.toContain('alice');
    expect(body).not.toContain('/healthz');
  });

  it('times gRPC calls per service, method and status code', () => {
    const rpc = { rpc_system: 'grpc', rpc_service: 'helpdesk.ticket.v1.TicketService' };
    expect(
      sample(body, 'rpc_server_duration_count', {
        ...rpc,
        rpc_method: 'ListTickets',
        rpc_grpc_status_code: '0',
      }),
    ).toBe(2);
    // NOT_FOUND from the domain error
    expect(
      sample(body, 'rpc_server_duration_count', {
        ...rpc,
        rpc_method: 'GetTicket',
        rpc_grpc_status_code: '5',
      }),
    ).toBe(1);
    expect(sample(body, 'rpc_server_duration_bucket', { ...rpc, rpc_method: 'GetTicket', le: '+Inf' })).toBe(
      1,
    );
  });
});

describe('/metrics of a process with metrics off (METRICS_ENABLED=false)', () => {
  it('answers 404 and has no handler to mount', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'libs/telemetry/test/fixtures/serve-metrics.ts', '--metrics-off'],
      { cwd: repoRoot, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const off = JSON.parse(stdout) as { status: number; body: string; handler: boolean };
    expect(off).toMatchObject({ status: 404, handler: false });
    expect(off.body).not.toContain('http_server_request_duration');
  }, 40_000);
});
