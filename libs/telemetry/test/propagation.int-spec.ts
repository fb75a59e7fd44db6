import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const repoRoot = path.resolve(__dirname, '../../..');

describe('trace propagation over gRPC (instrumented process)', () => {
  it('the server handler runs in the caller’s trace', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'libs/telemetry/test/fixtures/propagate-grpc.ts'],
      { cwd: repoRoot, timeout: 20_000 },
    );
    const { clientTraceId, serverTraceparent } = JSON.parse(stdout) as {
      clientTraceId: string;
      serverTraceparent?: string;
    };
    expect(clientTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(serverTraceparent).toMatch(new RegExp(`^00-${clientTraceId}-[0-9a-f]{16}-01$`));
  }, 30_000);
});
