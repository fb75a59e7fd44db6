import net from 'node:net';

/** Whether a TCP port can be listened on (checked on all interfaces, so a server bound to any of them counts). */
export function isPortFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `preferred` when it is free, else a free port picked by the OS. */
export async function choosePort(
  preferred: number,
  isFree: (port: number) => Promise<boolean> = isPortFree,
): Promise<number> {
  if (preferred > 0 && (await isFree(preferred))) return preferred;
  return freePort();
}

/** The ports of `wanted` that are taken, with the variable that moves each. */
export async function takenPorts(
  wanted: Array<{ port: number; variable: string }>,
): Promise<Array<{ port: number; variable: string }>> {
  const checks = await Promise.all(wanted.map(async (w) => ({ ...w, free: await isPortFree(w.port) })));
  return checks.filter((c) => !c.free).map(({ port, variable }) => ({ port, variable }));
}
