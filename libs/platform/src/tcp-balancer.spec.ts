import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTcpBalancer } from './tcp-balancer';

/** An HTTP server on a free port that answers with its name. */
async function replica(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end(name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// a new connection per request, so that each one is balanced
const ask = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })).text();

describe('startTcpBalancer', () => {
  it('hands connections to the replicas in turn, and past one that is down', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    const balancer = await startTcpBalancer({ host: '127.0.0.1', port: 0, targets: [a.port, b.port] });
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await ask(balancer.port));
      expect(answers.filter((x) => x === 'a')).toHaveLength(3);
      expect(answers.filter((x) => x === 'b')).toHaveLength(3);
      expect(balancer.handed()).toEqual({ [a.port]: 3, [b.port]: 3 });

      await b.close();
      const after = [];
      for (let i = 0; i < 4; i++) after.push(await ask(balancer.port));
      expect(after).toEqual(['a', 'a', 'a', 'a']);
    } finally {
      await balancer.close();
      await a.close();
    }
  });

  it('closes a connection when no replica answers', async () => {
    const gone = await replica('gone');
    await gone.close();
    const balancer = await startTcpBalancer({ host: '127.0.0.1', port: 0, targets: [gone.port] });
    try {
      await expect(ask(balancer.port)).rejects.toThrow();
    } finally {
      await balancer.close();
    }
  });
});
