// A mailbox on an OAuth2 provider end to end (issue 20): the platform as processes, oidc-provider as the
// authorization server (10-second access tokens), Dovecot and an SMTP listener that both take only OAuth2 tokens and
// check each one at the provider. The admin's browser is played by following the redirects through the provider's
// sign-in to the gateway's /oauth/callback; mail is read across token expiries and a restart of mail-ingest, the
// automatic replies go out with XOAUTH2, and a revoked grant ends as needs_reauthorization, of which the tenant's
// admin finds a notification in their feed.
import { randomUUID } from 'node:crypto';
import {
  startDovecot,
  startOidcProvider,
  startSmtpSink,
  waitFor,
  type SmtpSink,
  type TestImapServer,
  type TestOidcProvider,
} from '@helpdesk/testing';
import { allTickets, rawMail } from './support/mail';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

const CLIENT = { clientId: 'helpdesk-sys', clientSecret: 'the-system-test-client-secret' };
const USER = 'support@oauth-msp.test';
const TOKEN_SECONDS = 10;

describe('an OAuth2 mailbox (authorization code through the gateway, XOAUTH2 IMAP and SMTP)', () => {
  let platform: TestPlatform;
  let oidc: TestOidcProvider;
  let imap: TestImapServer;
  let smtp: SmtpSink;
  let admin: TenantSession;
  let mailboxId: string;
  let mailEnv: Record<string, string>;
  printOutputsOnFailure(() => platform);

  beforeAll(async () => {
    platform = await startTestPlatform({ label: 'mail-oauth' });
    const callback = `${platform.base}/api/v1/oauth/callback`;
    oidc = await startOidcProvider({
      clients: [{ ...CLIENT, redirectUris: [callback] }],
      accessTokenSeconds: TOKEN_SECONDS,
    });
    [imap, smtp] = await Promise.all([
      startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl, ...CLIENT } }),
      startSmtpSink({ xoauth2: (user, token) => oidc.activeFor(user, token) }),
    ]);
    mailEnv = {
      MAIL_OAUTH_REDIRECT_URL: callback,
      MAIL_OAUTH_ALLOW_PRIVATE_NETWORKS: 'true',
      MAIL_OAUTH_REFRESH_MARGIN_SECONDS: '3',
      IMAP_RESYNC_SECONDS: '1',
    };
    await platform.procs['mail-ingest']!.stop();
    await platform.startService('mail-ingest', mailEnv);
    admin = await platform.createTenantAndLogin('OAuth MSP');
    // the whole platform, then mail-ingest once more with the gateway's callback URL: minutes on busy cores
  }, 400_000);

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([imap?.stop(), smtp?.stop(), oidc?.stop()]);
  });

  const start = () =>
    platform.api('POST', `/api/v1/mailboxes/${mailboxId}/oauth/start`, {
      token: admin.token,
      body: {
        provider: 'generic',
        issuer: oidc.issuer,
        clientId: CLIENT.clientId,
        clientSecret: CLIENT.clientSecret,
        scopes: 'openid offline_access email',
      },
    });
  const mailbox = async () =>
    (await platform.api('GET', `/api/v1/mailboxes/${mailboxId}`, { token: admin.token })).body;
  const ticketTitled = (title: string) =>
    waitFor(
      `the ticket "${title}"`,
      async () => (await allTickets(platform, admin.token)).find((t) => t.title === title),
      60_000,
    );

  it('signs in through the browser flow, reads mail and replies over XOAUTH2 across token expiries and a restart, and needs reauthorization once the grant is revoked', async () => {
    const created = await platform.api('POST', '/api/v1/mailboxes', {
      token: admin.token,
      body: {
        name: 'Support',
        address: USER,
        imap: { host: imap.host, port: imap.port, tls: 'none', user: USER, auth: 'oauth2' },
        smtp: { host: smtp.host, port: smtp.port, tls: 'none', user: USER },
        pollIntervalSeconds: 5,
      },
    });
    expect(created.status).toBe(201);
    mailboxId = created.body.id;

    // bad input and another tenant's mailbox
    const bad = await platform.api('POST', `/api/v1/mailboxes/${mailboxId}/oauth/start`, {
      token: admin.token,
      body: { provider: 'generic', clientId: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('issuer');
    const other = await platform.createTenantAndLogin('Other MSP');
    const foreign = await platform.api('POST', `/api/v1/mailboxes/${mailboxId}/oauth/start`, {
      token: other.token,
      body: { provider: 'google' },
    });
    expect(foreign.status).toBe(404);

    const started = await start();
    expect(started.status).toBe(200);
    const redirect = await oidc.authorize(started.body.authorizationUrl, USER);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${platform.base}/api/v1/oauth/callback`);
    // the callback needs no bearer: the state authenticates it, once
    const page = await platform.api('GET', `${redirect.pathname}${redirect.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Mailbox connected');
    const again = await platform.api('GET', `${redirect.pathname}${redirect.search}`);
    expect(again.status).toBe(400);
    expect(again.text).toContain('Sign-in failed');
    const connected = await mailbox();
    expect(connected.oauth).toMatchObject({ provider: 'generic', status: 'connected' });
    expect(connected.imap.auth).toBe('oauth2');

    // a mail, its ticket and the automatic reply, sent with the mailbox's token
    imap.deliver(USER, [
      rawMail({ from: 'dana@client.example', subject: 'oauth one', messageId: `${randomUUID()}@c.example` }),
    ]);
    await ticketTitled('oauth one');
    await smtp.waitFor((m) => m.envelopeTo.includes('dana@client.example'), 1, 60_000);
    expect(smtp.logins).toContain(USER);

    // mail-ingest killed mid-token; after the token it held expired, mail still comes in
    await platform.procs['mail-ingest']!.kill9();
    await platform.startService('mail-ingest', mailEnv);
    await new Promise((r) => setTimeout(r, TOKEN_SECONDS * 1000));
    imap.deliver(USER, [
      rawMail({ from: 'erin@client.example', subject: 'oauth two', messageId: `${randomUUID()}@c.example` }),
    ]);
    await ticketTitled('oauth two');
    await smtp.waitFor((m) => m.envelopeTo.includes('erin@client.example'), 1, 60_000);
    expect((await mailbox()).oauth.refreshedAt).not.toBeNull();

    // the user revokes the app's access: the next refresh is refused and the mailbox says so
    expect(await oidc.revoke(USER)).toBeGreaterThan(0);
    const refused = await waitFor(
      'needs_reauthorization',
      async () => {
        const m = await mailbox();
        return m.oauth.status === 'needs_reauthorization' ? m : undefined;
      },
      TOKEN_SECONDS * 1000 + 60_000,
    );
    expect(refused.oauth.reason).toMatch(/invalid_grant/);
    const test = await platform.api('POST', `/api/v1/mailboxes/${mailboxId}/test`, { token: admin.token });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, failedStep: 'token' });
    // no token is ever answered
    expect(JSON.stringify(refused)).not.toMatch(/accessToken|refreshToken/);

    // the tenant's admin is told through the notification service (its feed; e-mail is on by default too)
    type Notice = {
      type: string;
      ticketId: string | null;
      ticketNumber: number | null;
      title: string;
      body: string;
    };
    const notices = async (token: string): Promise<Notice[]> =>
      (await platform.api('GET', '/api/v1/me/notifications', { token })).body.items as Notice[];
    const notice = await waitFor(
      "the admins' notification",
      async () => (await notices(admin.token)).find((n) => n.type === 'mailbox_reauthorization'),
      60_000,
    );
    expect(notice).toMatchObject({
      ticketId: null,
      ticketNumber: null,
      title: `Mailbox Support <${USER}> needs a new sign-in`,
    });
    expect(notice.body).toContain(refused.oauth.reason.slice(0, 60));
    // the other tenant's admin hears nothing of it
    expect((await notices(other.token)).filter((n) => n.type === 'mailbox_reauthorization')).toEqual([]);
  }, 400_000);
});
