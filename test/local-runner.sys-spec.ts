// `npm start` as a newcomer runs it: the one-machine runner finds the infrastructure, creates and migrates
// one database per service, seeds the demo tenant, starts every service and stops cleanly on Ctrl-C. The services'
// documented variables set for the runner reach them, and `<SERVICE>__<VAR>` gives one service its own value.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase, withDatabase } from '@helpdesk/db';
import {
  PG_ADMIN_URL,
  deletePrefixedStreams,
  freePort,
  startProcess,
  uniquePrefix,
  waitForHttp,
  type ServiceProcess,
} from '@helpdesk/testing';
import { SERVICE_MANIFESTS } from '../services/manifests';

const prefix = uniquePrefix('run');
let localDir: string;
let runner: ServiceProcess | undefined;

afterAll(async () => {
  await runner?.kill9();
  const databases = SERVICE_MANIFESTS.flatMap((m) => (m.database ? [m.database] : []));
  await Promise.all(databases.map((db) => dropDatabase(withDatabase(PG_ADMIN_URL, `${prefix}_${db}`))));
  await deletePrefixedStreams(prefix);
  if (localDir) await rm(localDir, { recursive: true, force: true });
}, 60_000);

it('brings the platform up with the seeded admin and stops it on SIGINT', async () => {
  localDir = await mkdtemp(path.join(os.tmpdir(), 'hd-local-'));
  const gatewayPort = await freePort();
  const email = `admin@${prefix}.example`;
  runner = startProcess('runner', 'deploy/local/src/main.ts', {
    HELPDESK_DB_PREFIX: prefix,
    BUS_PREFIX: prefix,
    REDIS_KEY_PREFIX: `${prefix}:`,
    HELPDESK_LOCAL_DIR: localDir,
    HELPDESK_ADMIN_EMAIL: email,
    HELPDESK_ADMIN_PASSWORD: 'runner-test-password',
    HELPDESK_AUTO_INSTALL: 'false',
    // every service's ports moved to free ones by the variables their manifests name
    ...(await localPortVariables()),
    PORT: String(gatewayPort),
    NO_COLOR: '1',
    // the gateway's own variables, as the README documents them
    LOGIN_RATE_LIMIT_MAX: '2',
    BODY_LIMIT: '1kb',
    // given to the gateway alone, over the shared value
    GATEWAY__BODY_LIMIT: '2kb',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${gatewayPort}/readyz`, 150_000);
    const login = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'runner-test-password' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    // the demo tenant was seeded before the SLA service ran: its tenant_created still
    // gives it the default (docs/product/sla.md)
    const policies = await waitForDefaultPolicy(`http://127.0.0.1:${gatewayPort}`, token);
    expect(policies).toMatchObject([{ name: 'Default SLA', isDefault: true, warnAtPercent: 80 }]);
    const created = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: 'First ticket on a fresh platform' }),
    });
    expect(created.status).toBe(201);
    // timekeeping runs too, on its own migrated database
    const settings = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/time-settings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(settings.status).toBe(200);
    // LOGIN_RATE_LIMIT_MAX=2: the third sign-in of an account within the window is refused
    const signIn = (body: unknown) =>
      fetch(`http://127.0.0.1:${gatewayPort}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const stranger = { email: `nobody@${prefix}.example`, password: 'not-the-password' };
    expect((await signIn(stranger)).status).toBe(401);
    expect((await signIn(stranger)).status).toBe(401);
    expect((await signIn(stranger)).status).toBe(429);
    // GATEWAY__BODY_LIMIT=2kb won over BODY_LIMIT=1kb: 1.5 kB is read, 3 kB is too large
    const padded = (bytes: number) => ({
      email: `pad@${prefix}.example`,
      password: 'x',
      pad: 'p'.repeat(bytes),
    });
    expect((await signIn(padded(1500))).status).not.toBe(413);
    expect((await signIn(padded(3000))).status).toBe(413);
    await waitForSummary(runner);
    expect(runner.output()).toMatch(/ready in \d+\.\d s/);
    expect(runner.output()).toContain(email);
    expect(runner.output()).toContain(`http://localhost:${gatewayPort}`);
  } catch (err) {
    console.error(runner.output().slice(-6000));
    throw err;
  }

  runner.child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => runner!.child.once('exit', resolve));
  expect(code).toBe(0);
  await expect(fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).rejects.toThrow();
});

async function waitForDefaultPolicy(base: string, token: string): Promise<unknown[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${base}/api/v1/sla-policies`, { headers: { authorization: `Bearer ${token}` } });
    const { items } = (await res.json()) as { items: unknown[] };
    if (items.length > 0 || Date.now() > deadline) return items;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForSummary(p: ServiceProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !/api\/docs/.test(p.output())) await new Promise((r) => setTimeout(r, 100));
}

/** A free port under each runner variable of every manifest's ports (IDENTITY_GRPC_PORT…). */
async function localPortVariables(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const m of SERVICE_MANIFESTS)
    for (const p of Object.values(m.ports)) env[p.localVariable] = String(await freePort());
  return env;
}
