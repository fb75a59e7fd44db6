import { createServer } from 'node:http';

/**
 * An OTLP/HTTP trace receiver that counts what it gets and keeps nothing, so that tracing costs the services
 * what it would with a real collector while a long load run does not grow this process's memory.
 */
export interface OtlpSink {
  endpoint: string;
  stats(): { exports: number; spans: number; bytes: number };
  close(): Promise<void>;
}

// Each span of an OTLP JSON export carries exactly one `"spanId":` key (its parent's is `"parentSpanId":`).
const SPAN_KEY = /"spanId":/g;

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let spans = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bytes += body.length;
      if (req.url === '/v1/traces') {
        exports += 1;
        if ((req.headers['content-type'] ?? '').includes('json'))
          spans += body.toString('utf8').match(SPAN_KEY)?.length ?? 0;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ exports, spans, bytes }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
