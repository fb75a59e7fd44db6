import net from 'node:net';
import { choosePort, freePort, isPortFree, takenPorts } from './ports';

function listen(port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe('port picking', () => {
  it('sees a port with a listener as taken and a closed one as free', async () => {
    const server = await listen();
    const port = portOf(server);
    expect(await isPortFree(port)).toBe(false);
    await close(server);
    expect(await isPortFree(port)).toBe(true);
  });

  it('keeps the preferred port when it is free', async () => {
    const port = await freePort();
    expect(await choosePort(port)).toBe(port);
  });

  it('picks another, free port when the preferred one is taken', async () => {
    const server = await listen();
    try {
      const chosen = await choosePort(portOf(server));
      expect(chosen).not.toBe(portOf(server));
      expect(chosen).toBeGreaterThan(0);
      expect(await isPortFree(chosen)).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('names the variable of each taken port', async () => {
    const server = await listen();
    const free = await freePort();
    try {
      expect(
        await takenPorts([
          { port: portOf(server), variable: 'PORT' },
          { port: free, variable: 'TICKET_GRPC_PORT' },
        ]),
      ).toEqual([{ port: portOf(server), variable: 'PORT' }]);
    } finally {
      await close(server);
    }
  });
});
