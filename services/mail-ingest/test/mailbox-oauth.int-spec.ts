// OAuth2 mailboxes (issue 20) end to end against real parts: oidc-provider as the authorization server (8-second
// access tokens), Dovecot checking every XOAUTH2 login at that server's introspection endpoint, real PostgreSQL.
// The admin's browser is played by following the redirects and posting the provider's sign-in form.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { commonV1, type mailV1 } from '@helpdesk/contracts';
import {
  delay,
  domainFailure,
  freePort,
  startDovecot,
  startOidcProvider,
  startSmtpSink,
  waitFor,
  type SmtpSink,
  type TestImapServer,
  type TestOidcProvider,
} from '@helpdesk/testing';
import { AesGcmSecretBox } from '@helpdesk/security';
import { FakeTicketService } from './in-memory.fakes';
import { startMailIngest, type MailIngestHarness, type SharedState } from './support';

const CLIENT = { clientId: 'helpdesk-mail', clientSecret: 'a-client-secret-of-the-test' };
const REDIRECT = 'https://helpdesk.test/api/v1/oauth/callback';
const USER = 'support@msp.test';
const TOKEN_SECONDS = 8;

const actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };
const mail = (n: number) =>
  Buffer.from(
    `From: dana@client.example\r\nTo: ${USER}\r\nSubject: oauth ${n}\r\nMessage-ID: <oauth-${n}-${randomUUID()}@client.example>\r\n\r\nbody ${n}\r\n`,
  );

async function xoauth2Login(imap: TestImapServer, user: string, accessToken: string): Promise<boolean> {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user, accessToken },
    logger: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch {
    client.close();
    return false;
  }
}

describe('mail-ingest: mailboxes signed in with OAuth2 (oidc-provider, Dovecot XOAUTH2)', () => {
  let oidc: TestOidcProvider;
  let imap: TestImapServer;
  let smtp: SmtpSink;
  let h: MailIngestHarness & { shared: SharedState };
  const tickets = new FakeTicketService();
  const tenantId = randomUUID();
  let mailboxId: string;

  const currentAccessToken = async () => {
    const row = await h.service.prisma.mailboxOAuth.findUniqueOrThrow({ where: { mailboxId } });
    return new AesGcmSecretBox(h.shared.secretKey).open(Buffer.from(row.accessToken));
  };
  const mailbox = async () =>
    (await h.client.getMailbox({ tenantId, id: mailboxId })).mailbox as mailV1.Mailbox;
  const signIn = async (): Promise<URL> => {
    const started = await h.client.startMailboxOAuth({
      tenantId,
      actor,
      id: mailboxId,
      provider: 'generic',
      issuer: oidc.issuer,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      scopes: 'openid offline_access email',
      loginHint: '',
    });
    return oidc.authorize(started.authorizationUrl, USER);
  };

  beforeAll(async () => {
    oidc = await startOidcProvider({
      clients: [{ ...CLIENT, redirectUris: [REDIRECT] }],
      accessTokenSeconds: TOKEN_SECONDS,
    });
    imap = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl, ...CLIENT } });
    // an SMTP server that takes XOAUTH2 only, asking the provider about each token as Dovecot does
    smtp = await startSmtpSink({ xoauth2: (user, token) => oidc.activeFor(user, token) });
    h = await startMailIngest(
      {
        TICKET_GRPC_URL: `127.0.0.1:${await freePort()}`,
        MAIL_OAUTH_ALLOW_PRIVATE_NETWORKS: 'true',
        MAIL_OAUTH_REDIRECT_URL: REDIRECT,
        MAIL_OAUTH_REFRESH_MARGIN_SECONDS: '2',
        IMAP_RESYNC_SECONDS: '1',
      },
      undefined,
      { tickets },
    );
    const created = await h.client.createMailbox({
      tenantId,
      actor,
      name: 'Support (OAuth2)',
      address: USER,
      imap: {
        host: imap.host,
        port: imap.port,
        tls: 'none',
        user: USER,
        password: '',
        accessToken: '',
        folder: '',
        processedFolder: '',
        auth: 'oauth2',
      },
      smtp: { host: '127.0.0.1', port: await freePort(), tls: 'none', user: USER, password: '' },
      pollIntervalSeconds: 0,
    });
    mailboxId = created.mailbox!.id;
  });

  afterAll(async () => {
    if (process.env.TEST_DOVECOT_LOG) process.stderr.write(imap?.log() ?? '');
    await h?.stop();
    await imap?.stop();
    await smtp?.stop();
    await oidc?.stop();
  });

  it('is not read before it is signed in, and its test says the token step failed', async () => {
    const before = await mailbox();
    expect(before.imap?.auth).toBe('oauth2');
    expect(before.oauth).toBeUndefined();
    const test = await h.client.testMailbox({ tenantId, id: mailboxId }, { deadlineMs: 45_000 });
    expect(test.ok).toBe(false);
    expect(test.failedStep).toBe('token');
    expect(test.token?.error).toMatch(/not signed in/);
    expect(test.imapLogin?.skipped).toBe(true);
  });

  it("answers another tenant's mailbox as not found", async () => {
    const err = await domainFailure(
      h.client.startMailboxOAuth({
        tenantId: randomUUID(),
        actor,
        id: mailboxId,
        provider: 'generic',
        issuer: oidc.issuer,
        clientId: CLIENT.clientId,
        clientSecret: '',
        scopes: '',
        loginHint: '',
      }),
    );
    expect(err.code).toBe('NOT_FOUND');
  });

  it('refuses bad input and an unconfigured built-in provider with a reason', async () => {
    const base = {
      tenantId,
      actor,
      id: mailboxId,
      issuer: '',
      clientId: '',
      clientSecret: '',
      scopes: '',
      loginHint: '',
    };
    expect((await domainFailure(h.client.startMailboxOAuth({ ...base, provider: 'generic' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await domainFailure(h.client.startMailboxOAuth({ ...base, provider: 'yahoo' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const microsoft = await domainFailure(h.client.startMailboxOAuth({ ...base, provider: 'microsoft' }));
    expect(microsoft.code).toBe('FAILED_PRECONDITION');
    expect(microsoft.message).toMatch(/MAIL_OAUTH_MICROSOFT_CLIENT_ID/);
    expect(
      (await domainFailure(h.client.completeMailboxOAuth({ query: 'state=never-issued&code=x' }))).code,
    ).toBe('FAILED_PRECONDITION');
  });

  it('connects through the authorization-code flow with PKCE; the state is good once', async () => {
    const started = await h.client.startMailboxOAuth({
      tenantId,
      actor,
      id: mailboxId,
      provider: 'generic',
      issuer: oidc.issuer,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      scopes: 'openid offline_access email',
      loginHint: '',
    });
    const url = new URL(started.authorizationUrl);
    expect(url.origin).toBe(oidc.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('login_hint')).toBe(USER);
    expect(url.searchParams.get('code_verifier')).toBeNull();
    // the flow is kept server-side, its state only as a hash
    const flows = await h.service.prisma.oAuthFlow.findMany({ where: { mailboxId } });
    expect(flows).toHaveLength(1);
    expect(flows[0]!.stateHash).not.toBe(url.searchParams.get('state'));
    expect(flows[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());

    const redirect = await oidc.authorize(started.authorizationUrl, USER);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('code')).toBeTruthy();
    const query = redirect.search.slice(1);
    const done = await h.client.completeMailboxOAuth({ query });
    expect(done).toMatchObject({ tenantId, mailboxId, provider: 'generic' });
    expect((await domainFailure(h.client.completeMailboxOAuth({ query }))).code).toBe('FAILED_PRECONDITION');

    const after = await mailbox();
    expect(after.oauth).toMatchObject({ provider: 'generic', status: 'connected', issuer: oidc.issuer });
    // the tokens are sealed and never answered
    expect(JSON.stringify(after)).not.toContain(await currentAccessToken());
    const row = await h.service.prisma.mailboxOAuth.findUniqueOrThrow({ where: { mailboxId } });
    expect(Buffer.from(row.accessToken).toString('latin1')).not.toContain(await currentAccessToken());
    expect(row.refreshToken).not.toBeNull();
    // and the token is one Dovecot takes
    expect(await xoauth2Login(imap, USER, await currentAccessToken())).toBe(true);
    expect(await xoauth2Login(imap, USER, 'not-a-token')).toBe(false);
  });

  it('reads mail across several token expiries, refreshing the token before each runs out', async () => {
    const first = await currentAccessToken();
    let n = 0;
    for (let round = 0; round < 3; round++) {
      imap.deliver(USER, [mail(n++)]);
      await waitFor(`mail ${n} a ticket`, () => tickets.tickets.size === n, 20_000);
      await delay(TOKEN_SECONDS * 1000 * 0.75);
    }
    const row = await h.service.prisma.mailboxOAuth.findUniqueOrThrow({ where: { mailboxId } });
    expect(row.refreshedAt).not.toBeNull();
    const latest = await currentAccessToken();
    expect(latest).not.toBe(first);
    // the first token has expired: Dovecot (asking the provider) refuses it, so the mail above came in on new ones
    expect(await xoauth2Login(imap, USER, first)).toBe(false);
    const test = await h.client.testMailbox({ tenantId, id: mailboxId }, { deadlineMs: 45_000 });
    expect(test.token).toMatchObject({ ok: true, skipped: false });
    expect(test.imapLogin).toMatchObject({ ok: true, skipped: false });
    expect(test.imapFolder).toMatchObject({ ok: true, skipped: false });
    // nothing listens on the SMTP port: the test names that step
    expect(test.smtp?.ok).toBe(false);
    expect(test.failedStep).toBe('smtp_login');
  });

  it('sends over SMTP with XOAUTH2 and the current token, as the notification service gets it', async () => {
    const updated = await h.client.updateMailbox({
      tenantId,
      actor,
      id: mailboxId,
      smtp: { host: smtp.host, port: smtp.port, tls: 'none', user: USER, password: '' },
      rotateIntakeToken: false,
    });
    expect(updated.mailbox?.smtp?.hasPassword).toBe(false);
    const test = await h.client.testMailbox({ tenantId, id: mailboxId }, { deadlineMs: 45_000 });
    expect(test.smtp).toMatchObject({ ok: true, skipped: false });
    expect(test).toMatchObject({ ok: true, failedStep: '' });
    expect(smtp.logins).toContain(USER);

    const settings = await h.client.getOutboundSettings({ tenantId, mailboxId });
    expect(settings).toMatchObject({ auth: 'oauth2', password: '', user: USER });
    expect(settings.accessToken).toBe(await currentAccessToken());
    expect(settings.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    const send = (accessToken: string) => {
      const transport = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: false,
        ignoreTLS: true,
        auth: { type: 'OAuth2', user: settings.user, accessToken },
      });
      return transport
        .sendMail({
          from: settings.address,
          to: 'dana@client.example',
          subject: 'oauth reply',
          text: 'hello',
        })
        .finally(() => transport.close());
    };
    await send(settings.accessToken);
    await smtp.waitFor((m) => m.parsed.subject === 'oauth reply');
    await expect(send('not-a-token')).rejects.toMatchObject({ code: 'EAUTH' });
  });

  it('refreshes once for two replicas that find the token refused at the same moment', async () => {
    const second = await startMailIngest({ IMAP_ENABLED: 'false' }, h.shared);
    try {
      const stale = await currentAccessToken();
      const box = await h.service.prisma.mailbox.findUniqueOrThrow({ where: { id: mailboxId } });
      const domain = { id: box.id, tenantId: box.tenantId } as Parameters<
        typeof h.service.oauth.currentToken
      >[0];
      // rotating refresh tokens: a second refresh with the same refresh token would be refused (and the grant
      // revoked), so both getting one working token shows the refresh happened once
      const [a, b] = await Promise.all([
        h.service.oauth.currentToken({ ...domain, imapSecret: null }, stale),
        second.service.oauth.currentToken({ ...domain, imapSecret: null }, stale),
      ]);
      expect(a.token).toBe(b.token);
      expect(a.token).not.toBe(stale);
      expect(await xoauth2Login(imap, USER, a.token)).toBe(true);
      expect((await mailbox()).oauth?.status).toBe('connected');
    } finally {
      await second.stop();
    }
  });

  it('goes to needs_reauthorization when the grant is revoked, stops polling, and recovers on a new sign-in', async () => {
    expect(await oidc.revoke(USER)).toBeGreaterThan(0);
    const refused = await waitFor(
      'the refresh refused',
      async () => {
        const m = await mailbox();
        return m.oauth?.status === 'needs_reauthorization' ? m : undefined;
      },
      TOKEN_SECONDS * 1000 + 20_000,
    );
    expect(refused.oauth?.reason).toMatch(/invalid_grant/);
    await waitFor('the sync error says it', async () =>
      /needs reauthorization/.test((await mailbox()).sync?.lastError ?? ''),
    );
    // no retry loop: the row is left alone, and new mail waits
    const taken = tickets.tickets.size;
    const { updatedAt } = await h.service.prisma.mailboxOAuth.findUniqueOrThrow({ where: { mailboxId } });
    imap.deliver(USER, [mail(100)]);
    await delay(4000);
    expect(tickets.tickets.size).toBe(taken);
    expect(
      (await h.service.prisma.mailboxOAuth.findUniqueOrThrow({ where: { mailboxId } })).updatedAt,
    ).toEqual(updatedAt);
    const test = await h.client.testMailbox({ tenantId, id: mailboxId }, { deadlineMs: 45_000 });
    expect(test.failedStep).toBe('token');
    expect(test.token?.error).toMatch(/new OAuth2 sign-in/);
    // one event for the tenant's admins, in the outbox with the status change, however often the token was asked for
    const events = await h.service.prisma.$queryRaw<Array<{ tenant_id: string; payload: { data: object } }>>`
      SELECT tenant_id::text, payload FROM outbox WHERE type = 'helpdesk.mail.mailbox_needs_reauthorization'`;
    expect(events).toHaveLength(1);
    expect(events[0]!.tenant_id).toBe(tenantId);
    expect(events[0]!.payload.data).toEqual({
      mailboxId,
      mailboxName: 'Support (OAuth2)',
      mailboxAddress: USER,
      provider: 'generic',
      reason: refused.oauth?.reason,
    });

    const redirect = await signIn();
    await h.client.completeMailboxOAuth({ query: redirect.search.slice(1) });
    expect((await mailbox()).oauth?.status).toBe('connected');
    await waitFor('the waiting mail a ticket', () => tickets.tickets.size === taken + 1, 30_000);
  });

  it('keeps no tokens of a deleted mailbox', async () => {
    expect(await h.service.prisma.mailboxOAuth.count({ where: { mailboxId } })).toBe(1);
    await h.client.deleteMailbox({ tenantId, actor, id: mailboxId });
    expect(await h.service.prisma.mailboxOAuth.count({ where: { mailboxId } })).toBe(0);
  });
});
