import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@helpdesk/platform';
import type { LookupFunction } from '@helpdesk/security';
import { checkIssuerUrl, Oauth4WebApiProvider } from './oauth-provider';

describe('checkIssuerUrl (the generic OAuth2 issuer an admin types)', () => {
  it.each([
    'https://127.0.0.1/',
    'https://10.1.2.3/',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
  ])('refuses %s', async (url) => {
    await expect(checkIssuerUrl(url, false)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses plain http, other schemes, credentials in the URL, and what is not a URL', async () => {
    for (const url of ['http://93.184.215.14/', 'file:///etc/passwd', 'https://u:p@93.184.215.14/', 'nope'])
      await expect(checkIssuerUrl(url, false)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('takes a public address, and private ones (and http) only when the operator allows them', async () => {
    await expect(checkIssuerUrl('https://93.184.215.14/tenant/v2.0', false)).resolves.toBeInstanceOf(URL);
    await expect(checkIssuerUrl('https://[2606:4700::1111]/', false)).resolves.toBeInstanceOf(URL);
    await expect(checkIssuerUrl('http://127.0.0.1:8080/', true)).resolves.toBeInstanceOf(URL);
    await expect(checkIssuerUrl('ftp://127.0.0.1/', true)).rejects.toBeInstanceOf(DomainError);
    // cloud metadata stays refused when private networks are allowed
    await expect(checkIssuerUrl('http://169.254.169.254/', true)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('Oauth4WebApiProvider behind the SSRF guard of libs/security', () => {
  let server: http.Server;
  let port: number;
  let requests = 0;
  const providers: Oauth4WebApiProvider[] = [];
  // the name answers a public address when the issuer is checked, then loopback (DNS rebinding)
  let answers: string[] = [];
  const resolve: LookupFunction = (_hostname, _options, callback) => {
    const address = answers.shift() ?? '127.0.0.1';
    callback(null, [{ address, family: 4 }]);
  };
  const provider = (allowPrivateNetworks: boolean) => {
    const p = new Oauth4WebApiProvider({
      microsoft: { tenant: 'organizations' },
      google: {},
      allowPrivateNetworks,
      timeoutMs: 2000,
      resolve,
    });
    providers.push(p);
    return p;
  };
  const client = (issuer: string) => ({
    provider: 'generic' as const,
    issuer,
    clientId: 'helpdesk',
    clientSecret: null,
    scopes: 'openid offline_access',
  });
  const flow = { state: 's', codeVerifier: 'v'.repeat(43), redirectUri: 'https://hd.test/cb', loginHint: '' };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      const issuer = `http://idp.rebinding.test:${port}`;
      if (req.url === '/.well-known/openid-configuration')
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
          }),
        );
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    providers.forEach((p) => p.close());
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('discovers an issuer on a private network when the operator allows it', async () => {
    answers = [];
    const url = new URL(
      await provider(true).authorizationUrl(client(`http://idp.rebinding.test:${port}`), flow),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`http://idp.rebinding.test:${port}/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('refuses a name that resolves to a public address when checked and to loopback when connected', async () => {
    requests = 0;
    answers = ['93.184.215.14'];
    const refused = provider(false).authorizationUrl(client(`https://idp.rebinding.test:${port}`), flow);
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(refused).rejects.toThrow(/discovery failed: .*loopback, private/);
    expect(requests).toBe(0);
  });
});
