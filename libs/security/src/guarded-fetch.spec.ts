import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedFetch } from './guarded-fetch';
import { guardedHttpAgents, type GuardedHttpAgents } from './guarded-http';
import { SsrfRefusedError, type LookupFunction } from './ssrf';

describe('guardedFetch (a fetch for libraries, behind the SSRF guard)', () => {
  let server: http.Server;
  let port: number;
  const seen: Array<{ method: string; url: string; type: string; body: string }> = [];
  const agents: GuardedHttpAgents[] = [];
  // a DNS whose names the test decides: one public-looking name that resolves to loopback
  const resolve: LookupFunction = (hostname, _options, callback) => {
    const table: Record<string, string> = {
      'issuer.rebinding.test': '127.0.0.1',
      'metadata.rebinding.test': '169.254.169.254',
    };
    const address = table[hostname];
    if (!address) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return callback(err, []);
    }
    callback(null, [{ address, family: 4 }]);
  };
  const fetchWith = (allowPrivateNetworks: boolean, maxResponseBytes = 1024) => {
    const a = guardedHttpAgents({ allowPrivateNetworks }, { resolve });
    agents.push(a);
    return guardedFetch(a, { maxResponseBytes });
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          type: String(req.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
        else if (req.url === '/big') res.writeHead(200).end('x'.repeat(5000));
        else if (req.url === '/empty') res.writeHead(204).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    agents.forEach((a) => a.destroy());
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('refuses loopback, a name that resolves to it, and other schemes, unless private networks are allowed', async () => {
    const strict = fetchWith(false);
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://issuer.rebinding.test:${port}/`,
      `http://[::1]:${port}/`,
      'file:///etc/passwd',
      'not a url',
    ])
      await expect(strict(url)).rejects.toBeInstanceOf(SsrfRefusedError);
    expect(seen).toEqual([]);
    const open = fetchWith(true);
    const answer = await open(`http://issuer.rebinding.test:${port}/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it('refuses cloud metadata addresses in every mode', async () => {
    const open = fetchWith(true);
    await expect(open('http://169.254.169.254/latest/meta-data')).rejects.toBeInstanceOf(SsrfRefusedError);
    await expect(open('http://metadata.rebinding.test/')).rejects.toBeInstanceOf(SsrfRefusedError);
  });

  it('POSTs form bodies with their headers, follows no redirect, and answers bodiless statuses', async () => {
    const open = fetchWith(true);
    seen.length = 0;
    const posted = await open(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r1' }),
    });
    expect(posted.status).toBe(200);
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/token',
        type: 'application/x-www-form-urlencoded',
        body: 'grant_type=refresh_token&refresh_token=r1',
      },
    ]);
    const redirected = await open(`http://127.0.0.1:${port}/redirect`, { redirect: 'follow' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('/elsewhere');
    expect(seen.map((s) => s.url)).not.toContain('/elsewhere');
    expect((await open(`http://127.0.0.1:${port}/empty`)).status).toBe(204);
  });

  it('fails an answer over the cap, and stops at the abort signal', async () => {
    const small = fetchWith(true, 100);
    await expect(small(`http://127.0.0.1:${port}/big`)).rejects.toThrow(/larger than 100 bytes/);
    const started = Date.now();
    await expect(
      small(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
