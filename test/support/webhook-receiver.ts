// A webhook receiver on loopback for the system tests: answers every POST the same way and keeps what it got.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  /** The receiver's address with `path`. */
  url: string;
  /** What arrived, in order. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  path: string,
  answer: { status: number; body?: string } = { status: 204 },
): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(answer.status).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
