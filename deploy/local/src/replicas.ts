// `HELPDESK_REPLICAS`: how many processes of each service `npm start` runs, and on which ports (docs/adr/0047).
// The first process of a service keeps the service's ports; the others take ports from HELPDESK_REPLICA_PORT_BASE
// upwards. gRPC peers get the list of a service's replicas (their clients balance it); a public HTTP port (the
// gateway's) is held by the runner's TCP balancer, and every replica of it listens on a port of its own.
import type { ManifestPortName } from '@helpdesk/platform';

export const MAX_REPLICAS = 8;

/** The ports a service's process listens on. */
export type PortSet = Partial<Record<ManifestPortName, number>>;

/**
 * Reads `3` (every service) or `ticket=2,gateway=3` (those named; the others 1). Answers the count per service,
 * or the reasons it cannot.
 */
export function parseReplicas(
  value: string | undefined,
  services: readonly string[],
): { counts: Record<string, number>; issues: string[] } {
  const counts: Record<string, number> = Object.fromEntries(services.map((s) => [s, 1]));
  const issues: string[] = [];
  const text = (value ?? '').trim();
  if (text === '') return { counts, issues };
  const count = (raw: string, what: string): number | undefined => {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= MAX_REPLICAS) return n;
    issues.push(`${what}must be a whole number from 1 to ${MAX_REPLICAS}, not "${raw.trim()}"`);
    return undefined;
  };
  if (!text.includes('=')) {
    const n = count(text, '');
    if (n !== undefined) for (const s of services) counts[s] = n;
    return { counts, issues };
  }
  for (const part of text.split(',')) {
    const [name = '', raw = '', ...rest] = part.split('=');
    const service = name.trim();
    if (rest.length > 0 || !service) {
      issues.push(`"${part.trim()}" is not <service>=<count>`);
      continue;
    }
    if (!services.includes(service)) {
      issues.push(`no service is named ${service} (${services.join(', ')})`);
      continue;
    }
    const n = count(raw, `${service}: `);
    if (n !== undefined) counts[service] = n;
  }
  return { counts, issues };
}

/** One process of a service: `ticket`, then `ticket.2`, `ticket.3`. */
export interface ReplicaProcess {
  service: string;
  /** 1 for the first. */
  index: number;
  name: string;
  ports: PortSet;
}

export interface ReplicaPlan {
  /** Per service, its processes in order. */
  processes: Record<string, ReplicaProcess[]>;
  /** Public ports held by the runner's balancer: the service's own port, and its replicas' ports behind it. */
  balanced: Array<{ service: string; port: number; targets: number[] }>;
}

/** Public ports: clients outside the platform reach them on one number, so several replicas need a balancer. */
const PUBLIC_PORTS: readonly ManifestPortName[] = ['http'];

/** The ports of every process under `counts`; the extra ones numbered from `base` upwards. */
export function planReplicas(
  ports: Readonly<Record<string, PortSet>>,
  counts: Readonly<Record<string, number>>,
  base: number,
): ReplicaPlan {
  let nextPort = base;
  const taken = new Set(Object.values(ports).flatMap((p) => Object.values(p)));
  const allocate = (): number => {
    while (taken.has(nextPort)) nextPort += 1;
    taken.add(nextPort);
    return nextPort++;
  };
  const plan: ReplicaPlan = { processes: {}, balanced: [] };
  for (const [service, own] of Object.entries(ports)) {
    const n = counts[service] ?? 1;
    const processes: ReplicaProcess[] = [];
    for (let index = 1; index <= n; index++) {
      const set: PortSet = {};
      for (const [name, port] of Object.entries(own) as Array<[ManifestPortName, number]>) {
        const balanced = n > 1 && PUBLIC_PORTS.includes(name);
        set[name] = index === 1 && !balanced ? port : allocate();
      }
      processes.push({ service, index, name: index === 1 ? service : `${service}.${index}`, ports: set });
    }
    plan.processes[service] = processes;
    if (n > 1) {
      for (const name of PUBLIC_PORTS) {
        const port = own[name];
        if (port !== undefined)
          plan.balanced.push({ service, port, targets: processes.map((p) => p.ports[name]!) });
      }
    }
  }
  return plan;
}
