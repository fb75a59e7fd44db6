/* global process, URL, URLSearchParams */
// A real authorization server for the tests: oidc-provider (npm) on 127.0.0.1 with short token lifetimes, run as its
// own process by startOidcProvider() (oidc-provider ships ES modules only). Settings come as JSON in argv[2].
// Besides the provider's own endpoints it serves a sign-in page that accepts any account named in its form (the
// test's "user" signs in and consents with one POST), and /test/revoke, which destroys an account's grants as a
// user revoking the app's consent would.
import http from 'node:http';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;
const grants = new Map(); // accountId -> grant ids

const provider = new Provider(issuer, {
  clients: settings.clients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'email', 'mail'],
  claims: { email: ['email'], openid: ['sub'] },
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  ttl: {
    AccessToken: settings.accessTokenSeconds,
    AuthorizationCode: 60,
    Grant: 3600,
    IdToken: 3600,
    Interaction: 600,
    RefreshToken: 3600,
    Session: 3600,
  },
  // a refresh token for every code of a client allowed the grant, with or without offline_access's consent prompt
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: sub }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['helpdesk-test-cookie-key'] },
});
// the access token's own lifetime is what the test shortens; a refresh is checked against the grant
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc server_error: ${err.stack}\n`));

const callback = provider.callback();

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<form method="post" action="/interaction/${uid}"><input name="login"><button>Sign in and allow</button></form>`,
    );
    return;
  }
  const form = await readForm(req);
  const accountId = form.get('login');
  if (!accountId) {
    res.writeHead(400).end('login required');
    return;
  }
  const { params } = details;
  const grant = new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope ?? ''));
  const grantId = await grant.save();
  grants.set(accountId, [...(grants.get(accountId) ?? []), grantId]);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  const match = /^\/interaction\/([^/]+)$/.exec(url.pathname);
  const fail = (err) => {
    process.stderr.write(`oidc test server: ${err.stack}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end(String(err.message));
  };
  if (match) {
    interaction(req, res, match[1]).catch(fail);
    return;
  }
  if (url.pathname === '/test/revoke' && req.method === 'POST') {
    (async () => {
      const accountId = url.searchParams.get('account');
      const ids = grants.get(accountId) ?? [];
      for (const id of ids) {
        const grant = await provider.Grant.find(id);
        if (grant) await grant.destroy();
      }
      grants.delete(accountId);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revoked: ids.length }));
    })().catch(fail);
    return;
  }
  callback(req, res);
});

server.listen(settings.port, '127.0.0.1', () => process.stdout.write(`listening ${issuer}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
