// The manifests (services/<svc>/service.ts) against what they describe: the folders, the code and the schemas.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { manifestProblems } from '@helpdesk/platform';
import { SERVICE_MANIFESTS } from '../../../services/manifests';
import { REPO_ROOT } from './config';

const SERVICES_DIR = path.join(REPO_ROOT, 'services');

/** Every non-test .ts file under a folder, concatenated. */
function sourceOf(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const file = path.join(d, entry);
      if (entry === 'generated' || entry === 'node_modules') continue;
      if (statSync(file).isDirectory()) walk(file);
      else if (entry.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(entry))
        out.push(readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

const matches = (text: string, re: RegExp): string[] =>
  [...new Set([...text.matchAll(re)].map((m) => m[1]!))].sort();

describe('the service manifests', () => {
  it('are consistent among themselves', () => {
    expect(manifestProblems(SERVICE_MANIFESTS)).toEqual([]);
  });

  it('list every service folder once, each under its folder name', () => {
    // services/web is no process: its bundle is built (`npm run build`) and served by the gateway (ADR 36)
    const servedByGateway = (d: string) =>
      (
        JSON.parse(readFileSync(path.join(SERVICES_DIR, d, 'package.json'), 'utf8')) as {
          helpdesk?: { servedBy?: string };
        }
      ).helpdesk?.servedBy === 'gateway';
    const withPackage = readdirSync(SERVICES_DIR).filter((d) =>
      existsSync(path.join(SERVICES_DIR, d, 'package.json')),
    );
    const folders = withPackage.filter((d) => !servedByGateway(d));
    for (const app of withPackage.filter(servedByGateway))
      expect(existsSync(path.join(SERVICES_DIR, app, 'service.ts'))).toBe(false);
    expect(SERVICE_MANIFESTS.map((m) => m.name).sort()).toEqual(folders.sort());
    for (const folder of folders)
      expect(existsSync(path.join(SERVICES_DIR, folder, 'service.ts'))).toBe(true);
  });

  it.each(SERVICE_MANIFESTS.map((m) => [m.name, m] as const))(
    '%s: entry, database and ports match its folder and schema',
    (name, m) => {
      const dir = path.join(SERVICES_DIR, name);
      expect(existsSync(path.join(dir, m.entry))).toBe(true);
      if (m.seed) expect(existsSync(path.join(dir, m.seed.entry))).toBe(true);
      // a database exactly when the service has a Prisma schema (its migrations)
      expect(Boolean(m.database)).toBe(existsSync(path.join(dir, 'prisma', 'schema.prisma')));
      for (const port of Object.values(m.ports)) {
        // the manifest's default is the schema's: the chart and `npm start` use the number the service would
        expect(m.configSchema.shape[port.env]!.parse(undefined)).toBe(port.default);
      }
      // every gRPC peer the schema reads is declared (so the launchers wire it)
      const peerVariables = Object.keys(m.configSchema.shape).filter((k) => /_GRPC_URL$/.test(k));
      expect(Object.keys(m.peers).sort()).toEqual(peerVariables.sort());
    },
  );

  it.each(SERVICE_MANIFESTS.map((m) => [m.name, m] as const))(
    '%s: the streams it owns and consumes are those of its code',
    (name, m) => {
      const code = sourceOf(path.join(SERVICES_DIR, name, 'src'));
      // created by the service itself (`bus.ensureStream('ticket')`) or by the shared runtime (`streams: ['ticket']`)
      const listed = [...code.matchAll(/\bstreams: \[([^\]]*)\]/g)].flatMap((m) =>
        [...m[1]!.matchAll(/'([a-z]+)'/g)].map((d) => d[1]!),
      );
      const owned = [...new Set([...matches(code, /ensureStream\('([a-z]+)'\)/g), ...listed])].sort();
      expect(owned).toEqual([...m.streams.owns].sort());
      // consumed by a durable of its own (`domain: 'ticket'`) or by libs/bus's consumer of the tenant events
      const tenantEvents = /\bstartTenantConsumer\(/.test(code) ? ['identity'] : [];
      const consumed = [...new Set([...matches(code, /\bdomain: '([a-z]+)'/g), ...tenantEvents])].sort();
      expect(consumed).toEqual([...m.streams.consumes].sort());
    },
  );
});
