import type { ManifestPortName, ServiceManifest } from '@helpdesk/platform';
import { freePort } from './processes';

/** Per service, the number of each of its ports. */
export type ServicePorts = Record<string, Partial<Record<ManifestPortName, number>>>;

/** A free port for every port of every manifest (no two the same). */
export async function freePortsFor(manifests: readonly ServiceManifest[]): Promise<ServicePorts> {
  const ports: ServicePorts = {};
  for (const m of manifests) {
    const own: Partial<Record<ManifestPortName, number>> = {};
    for (const name of Object.keys(m.ports) as ManifestPortName[]) {
      own[name] = await freePort(); // never the same number twice in one process
    }
    ports[m.name] = own;
  }
  return ports;
}

/**
 * Runs `start` (start the process and wait until it is ready) for every manifest, each once the services among
 * `manifests` that it calls (its peers) or depends on are ready; the others at once, side by side.
 * Throws on a cycle before anything starts.
 */
export async function startAfterPeers(
  manifests: readonly ServiceManifest[],
  start: (manifest: ServiceManifest) => Promise<void>,
): Promise<void> {
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const before = (m: ServiceManifest) =>
    [...new Set([...Object.values(m.peers), ...m.dependsOn])].filter((n) => n !== m.name && byName.has(n));
  const visit = (m: ServiceManifest, path: string[]) => {
    if (path.includes(m.name))
      throw new Error(`services wait for each other in a cycle: ${[...path, m.name].join(' → ')}`);
    for (const n of before(m)) visit(byName.get(n)!, [...path, m.name]);
  };
  for (const m of manifests) visit(m, []);
  const started = new Map<string, Promise<void>>();
  const launch = (m: ServiceManifest): Promise<void> => {
    let done = started.get(m.name);
    if (!done) {
      done = (async () => {
        await Promise.all(before(m).map((n) => launch(byName.get(n)!)));
        await start(m);
      })();
      started.set(m.name, done);
    }
    return done;
  };
  await Promise.all(manifests.map(launch));
}
