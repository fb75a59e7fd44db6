import { z } from 'zod';
import type { ServiceManifest } from '@helpdesk/platform';
import { freePortsFor, startAfterPeers } from './services';

const manifest = (
  name: string,
  peers: Record<string, string> = {},
  dependsOn: string[] = [],
): ServiceManifest => ({
  name,
  entry: 'src/main.ts',
  ports: {
    grpc: { env: 'GRPC_PORT', default: 1, localVariable: `${name}_GRPC_PORT` },
    health: { env: 'HEALTH_PORT', default: 2, localVariable: `${name}_HEALTH_PORT` },
  },
  readiness: { port: 'health', path: '/readyz' },
  dependsOn,
  streams: { owns: [], consumes: [] },
  peers,
  secrets: {},
  configSchema: z.object({}),
});

describe('startAfterPeers', () => {
  it('starts each service once the peers it calls are ready, the others side by side', async () => {
    const events: string[] = [];
    const gate: Record<string, () => void> = {};
    const start = (m: ServiceManifest) =>
      new Promise<void>((resolve) => {
        events.push(`start ${m.name}`);
        gate[m.name] = () => {
          events.push(`ready ${m.name}`);
          resolve();
        };
      });
    const list = [
      manifest('gateway', { A: 'ticket', B: 'mail', C: 'absent' }),
      manifest('mail', { T: 'ticket' }),
      manifest('ticket'),
      manifest('sla', {}, ['ticket']),
    ];
    const done = startAfterPeers(list, start);
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    // only ticket has nothing to wait for (a peer that is not in the list is not waited for)
    expect(events).toEqual(['start ticket']);
    gate.ticket!();
    await tick();
    expect(events).toEqual(['start ticket', 'ready ticket', 'start mail', 'start sla']);
    gate.sla!();
    gate.mail!();
    await tick();
    expect(events.slice(-1)).toEqual(['start gateway']);
    gate.gateway!();
    await done;
  });

  it('refuses a cycle before starting anything, and passes a failed start on', async () => {
    const started: string[] = [];
    await expect(
      startAfterPeers(
        [manifest('a', { B: 'b' }), manifest('b', {}, ['a'])],
        async (m) => void started.push(m.name),
      ),
    ).rejects.toThrow('services wait for each other in a cycle: a → b → a');
    expect(started).toEqual([]);
    await expect(
      startAfterPeers([manifest('a'), manifest('b', { A: 'a' })], async (m) => {
        started.push(m.name);
        if (m.name === 'a') throw new Error('a died');
      }),
    ).rejects.toThrow('a died');
    expect(started).toEqual(['a']);
  });
});

describe('freePortsFor', () => {
  it('gives every port of every manifest a number of its own', async () => {
    const ports = await freePortsFor([manifest('a'), manifest('b')]);
    const numbers = [ports.a!.grpc, ports.a!.health, ports.b!.grpc, ports.b!.health];
    expect(numbers.every((n) => typeof n === 'number' && n > 0)).toBe(true);
    expect(new Set(numbers).size).toBe(4);
  });
});
