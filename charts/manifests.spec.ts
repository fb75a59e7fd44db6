// The umbrella chart against the service manifests (services/<svc>/service.ts): every manifest has its alias in
// Chart.yaml, a block in values.yaml and values.schema.json with its ports, database, peers, secrets and the
// egress it needs; nothing is there for a service without a manifest. (skaffold.yaml is generated from them.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ServiceManifest } from '@helpdesk/platform';
import { SERVICE_MANIFESTS } from '../services/manifests';

type Values = Record<string, unknown>;
const UMBRELLA = path.join(__dirname, 'helpdesk');
const read = (file: string) => readFileSync(file, 'utf8');
const isObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);
const merge = (base: unknown, over: unknown): unknown => {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
  return out;
};

const chart = parse(read(path.join(UMBRELLA, 'Chart.yaml'))) as { dependencies: Array<{ alias: string }> };
const valuesText = read(path.join(UMBRELLA, 'values.yaml'));
const values = parse(valuesText) as Values;
const schema = JSON.parse(read(path.join(UMBRELLA, 'values.schema.json'))) as {
  required: string[];
  properties: Values;
};
const serviceDefaults = parse(read(path.join(__dirname, 'service', 'values.yaml'))) as Values;
const names = SERVICE_MANIFESTS.map((m) => m.name).sort();
const peerAddress = (peer: ServiceManifest) =>
  `{{ .Values.global.namePrefix | default .Release.Name }}-${peer.name}:${peer.ports.grpc!.default}`;

interface Block {
  image: { repository: string };
  ports: { grpc: number; http: number; health: number };
  env?: Record<string, string>;
  secretEnv?: Record<string, { optional?: boolean }>;
  database: { enabled: boolean; existingSecret?: string };
  migration: { enabled: boolean; serviceDir?: string };
  networkPolicy: { egress: { postgresql: boolean; nats: boolean; redis: boolean } };
}

// the umbrella's own blocks beside one per service: the shared settings, the platform's dashboard and alerts
const OWN_BLOCKS = new Set(['global', 'monitoring']);

describe('the umbrella chart holds exactly the services of the manifests', () => {
  it('one alias in Chart.yaml, one block in values.yaml and in values.schema.json per manifest, nothing else', () => {
    expect(chart.dependencies.map((d) => d.alias).sort()).toEqual(names);
    expect(
      Object.keys(values)
        .filter((k) => !OWN_BLOCKS.has(k))
        .sort(),
    ).toEqual(names);
    expect(schema.required.filter((k) => !OWN_BLOCKS.has(k)).sort()).toEqual(names);
    expect(
      Object.keys(schema.properties)
        .filter((k) => !OWN_BLOCKS.has(k))
        .sort(),
    ).toEqual(names);
  });

  it('the commented-out PostgreSQL bootstrap creates the databases of the manifests', () => {
    const created = [...valuesText.matchAll(/CREATE DATABASE (\w+);/g)].map((m) => m[1]).sort();
    expect(created).toEqual(SERVICE_MANIFESTS.flatMap((m) => (m.database ? [m.database] : [])).sort());
  });

  it.each(SERVICE_MANIFESTS.map((m) => [m.name, m] as const))(
    '%s: image, ports, database, peers, secrets and egress',
    (name, m) => {
      const block = merge(serviceDefaults, values[name]) as Block;
      expect(block.image.repository).toBe(`helpdesk-${name}`);
      // the chart's probes use the health port; a service that serves them on its HTTP port has both the same
      expect(block.ports).toEqual({
        grpc: m.ports.grpc?.default ?? 0,
        http: m.ports.http?.default ?? 0,
        health: (m.ports.health ?? m.ports[m.readiness.port])!.default,
      });
      expect(block.database.enabled).toBe(Boolean(m.database));
      expect(block.migration.enabled).toBe(Boolean(m.database));
      if (m.database) expect(block.migration.serviceDir).toBe(`services/${name}`);
      expect(block.networkPolicy.egress.postgresql).toBe(Boolean(m.database));

      const env = block.env ?? {};
      const grpcUrls = Object.keys(env).filter((k) => /_GRPC_URL$/.test(k));
      expect(grpcUrls.sort()).toEqual(Object.keys(m.peers).sort());
      for (const [variable, peer] of Object.entries(m.peers)) {
        expect({ variable, value: env[variable] }).toEqual({
          variable,
          value: peerAddress(SERVICE_MANIFESTS.find((p) => p.name === peer)!),
        });
      }
      // the launcher's secrets are required; anything else from a Secret is the operator's, optional, and read by
      // the service's config schema
      const secretEnv = (block.secretEnv ?? {}) as Record<string, { optional?: boolean }>;
      const required = Object.keys(secretEnv).filter((k) => !secretEnv[k]!.optional);
      expect(required.sort()).toEqual(Object.keys(m.secrets).sort());
      for (const variable of Object.keys(secretEnv).filter((k) => secretEnv[k]!.optional))
        expect({ variable, read: variable in m.configSchema.shape }).toEqual({ variable, read: true });

      const onBus = m.streams.owns.length + m.streams.consumes.length > 0;
      expect('NATS_URL' in env).toBe(onBus);
      expect(block.networkPolicy.egress.nats).toBe(onBus);
      expect(m.redis ? m.redis.url in env : false).toBe(Boolean(m.redis));
      expect(block.networkPolicy.egress.redis).toBe(Boolean(m.redis));
    },
  );
});

describe("mail-ingest's OAuth2 configuration in the chart", () => {
  const block = merge(serviceDefaults, values['mail-ingest']) as Block;
  const schemaKeys = Object.keys(SERVICE_MANIFESTS.find((m) => m.name === 'mail-ingest')!.configSchema.shape);

  it('takes every client id and secret from a Secret (optional), never as a plain value', () => {
    const clients = schemaKeys.filter((k) => /^MAIL_OAUTH_.*_CLIENT_(ID|SECRET)$/.test(k)).sort();
    expect(clients).toEqual([
      'MAIL_OAUTH_GOOGLE_CLIENT_ID',
      'MAIL_OAUTH_GOOGLE_CLIENT_SECRET',
      'MAIL_OAUTH_MICROSOFT_CLIENT_ID',
      'MAIL_OAUTH_MICROSOFT_CLIENT_SECRET',
    ]);
    for (const variable of clients) {
      expect({ variable, ref: block.secretEnv?.[variable] }).toEqual({
        variable,
        ref: { secretName: 'helpdesk-mail-oauth', key: variable, optional: true },
      });
      expect(variable in (block.env ?? {})).toBe(false);
    }
  });

  it('sets the callback URL as plain configuration', () => {
    expect(block.env).toHaveProperty('MAIL_OAUTH_REDIRECT_URL');
    expect(schemaKeys).toContain('MAIL_OAUTH_REDIRECT_URL');
  });
});
