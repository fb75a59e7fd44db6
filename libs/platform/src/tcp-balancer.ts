// The gateway's one port when the local runner (or a system test) starts it as several processes: each new
// connection goes to the next replica in turn, and to the one after when a replica refuses (it is restarting).
// In Kubernetes the Service does this; Node 20 has no SO_REUSEPORT to share one port among processes (docs/adr/0047).
import net from 'node:net';

export interface TcpBalancer {
  port: number;
  /** Connections handed to each target so far, by its port. */
  handed(): Record<number, number>;
  close(): Promise<void>;
}

export interface TcpBalancerOptions {
  /** Where it listens. */
  host: string;
  port: number;
  /** Where the replicas listen (same host as `targetHost`). */
  targets: readonly number[];
  targetHost?: string;
}

/** Listens on `port` and pipes each connection to one of `targets`, round robin, skipping those that refuse. */
export async function startTcpBalancer(options: TcpBalancerOptions): Promise<TcpBalancer> {
  if (options.targets.length === 0) throw new Error('a balancer needs at least one target');
  const targetHost = options.targetHost ?? '127.0.0.1';
  const handed: Record<number, number> = {};
  const open = new Set<net.Socket>();
  let next = 0;

  const connect = (client: net.Socket, tried: number) => {
    if (tried >= options.targets.length) {
      client.destroy();
      return;
    }
    const port = options.targets[next % options.targets.length]!;
    next += 1;
    const upstream = net.connect({ host: targetHost, port });
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    upstream.once('connect', () => {
      handed[port] = (handed[port] ?? 0) + 1;
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      client.resume();
    });
    // refused (the replica is down or restarting): the next one
    upstream.once('error', () => {
      upstream.destroy();
      connect(client, tried + 1);
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    connect(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    handed: () => ({ ...handed }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
