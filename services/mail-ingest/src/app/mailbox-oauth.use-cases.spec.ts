import type { Logger } from '@helpdesk/platform';
import { OAuthGrantRefused, type Mailbox, type MailboxOAuth, type OAuthFlow } from '../domain/mailbox';
import { MailboxOAuthUseCases, ReauthorizationNeeded } from './mailbox-oauth.use-cases';
import type {
  MailboxOAuthRepository,
  OAuthProviderPort,
  OAuthRowUpdate,
  ReauthorizationNotice,
  SecretBox,
} from './ports';

const secrets: SecretBox = {
  seal: (plain) => Buffer.from(`sealed:${plain}`),
  open: (sealed) => sealed.toString().replace(/^sealed:/, ''),
};
const logger = { info: () => undefined, warn: () => undefined } as unknown as Logger;

class FakeOAuthRepo implements MailboxOAuthRepository {
  row: MailboxOAuth | null = null;
  flows = new Map<string, OAuthFlow>();
  locks = 0;
  notices: ReauthorizationNotice[] = [];
  async saveFlow(flow: OAuthFlow) {
    this.flows.set(flow.stateHash, flow);
  }
  async takeFlow(hash: string, now: Date) {
    const flow = this.flows.get(hash);
    this.flows.delete(hash);
    return flow && flow.expiresAt > now ? flow : null;
  }
  async find(tenantId: string, id: string) {
    return this.row && this.row.tenantId === tenantId && this.row.mailboxId === id ? { ...this.row } : null;
  }
  async connect(o: MailboxOAuth) {
    this.row = o;
  }
  async withLock<T>(
    tenantId: string,
    id: string,
    fn: (
      row: MailboxOAuth | null,
    ) => Promise<{ update?: OAuthRowUpdate; notice?: ReauthorizationNotice; value: T }>,
  ) {
    this.locks++;
    const { update, notice, value } = await fn(await this.find(tenantId, id));
    if (this.row && update) this.row = { ...this.row, ...update };
    if (this.row && notice) this.notices.push(notice);
    return value;
  }
}

describe('MailboxOAuthUseCases.currentToken', () => {
  let now = new Date('2026-12-01T10:00:00Z');
  const mailbox = {
    id: 'm1',
    tenantId: 't1',
    name: 'Support',
    address: 'support@msp.test',
    imapSecret: null,
  } as unknown as Mailbox;
  let nudges: number;
  let repo: FakeOAuthRepo;
  let refreshes: string[];
  let refuse: boolean;
  const provider = {
    refresh: async (_client: unknown, refreshToken: string) => {
      refreshes.push(refreshToken);
      if (refuse) throw new OAuthGrantRefused('invalid_grant: consent revoked');
      return {
        accessToken: `at-${refreshes.length}`,
        expiresAt: new Date(now.getTime() + 3600_000),
        refreshToken: `rt-${refreshes.length}`,
      };
    },
  } as unknown as OAuthProviderPort;
  const useCases = () =>
    new MailboxOAuthUseCases({
      mailboxes: {} as never,
      oauth: repo,
      provider,
      secrets,
      clock: { now: () => now },
      logger,
      redirectUri: 'https://hd.test/cb',
      flowMs: 600_000,
      refreshMarginMs: 300_000,
      outbox: { nudge: () => void nudges++ },
    });

  beforeEach(() => {
    nudges = 0;
    now = new Date('2026-12-01T10:00:00Z');
    refreshes = [];
    refuse = false;
    repo = new FakeOAuthRepo();
    repo.row = {
      mailboxId: 'm1',
      tenantId: 't1',
      provider: 'generic',
      issuer: 'https://idp.test',
      clientId: 'c',
      clientSecret: null,
      scopes: 'openid offline_access',
      status: 'connected',
      statusReason: null,
      accessToken: secrets.seal('at-0'),
      accessExpiresAt: new Date(now.getTime() + 3600_000),
      refreshToken: secrets.seal('rt-0'),
      connectedAt: now,
      refreshedAt: null,
      updatedAt: now,
    };
  });

  it('answers a token with time left as it is, without a lock or a refresh', async () => {
    expect((await useCases().currentToken(mailbox)).token).toBe('at-0');
    expect(repo.locks).toBe(0);
    expect(refreshes).toEqual([]);
  });

  it('refreshes within the margin before expiry, keeps the rotated refresh token, and then reuses it', async () => {
    now = new Date(now.getTime() + 3600_000 - 200_000);
    expect((await useCases().currentToken(mailbox)).token).toBe('at-1');
    expect(refreshes).toEqual(['rt-0']);
    expect(secrets.open(repo.row!.refreshToken!)).toBe('rt-1');
    expect((await useCases().currentToken(mailbox)).token).toBe('at-1');
    expect(refreshes).toHaveLength(1);
  });

  it('refreshes a token the server refused once, but not one already replaced', async () => {
    expect((await useCases().currentToken(mailbox, 'at-0')).token).toBe('at-1');
    // a second caller that saw at-0 refused too gets at-1, with no second refresh
    expect((await useCases().currentToken(mailbox, 'at-0')).token).toBe('at-1');
    expect(refreshes).toEqual(['rt-0']);
  });

  it('marks the mailbox needs_reauthorization on invalid_grant and never calls the provider again', async () => {
    refuse = true;
    await expect(useCases().currentToken(mailbox, 'at-0')).rejects.toBeInstanceOf(ReauthorizationNeeded);
    expect(repo.row).toMatchObject({
      status: 'needs_reauthorization',
      statusReason: 'invalid_grant: consent revoked',
    });
    await expect(useCases().currentToken(mailbox)).rejects.toThrow(/consent revoked/);
    expect(refreshes).toHaveLength(1);
    // one event for the admins, written with the status change, and the relay nudged once
    expect(repo.notices).toEqual([
      {
        mailboxName: 'Support',
        mailboxAddress: 'support@msp.test',
        provider: 'generic',
        reason: 'invalid_grant: consent revoked',
      },
    ]);
    expect(nudges).toBe(1);
  });

  it('writes no event for a refresh that works', async () => {
    expect((await useCases().currentToken(mailbox, 'at-0')).token).toBe('at-1');
    expect(repo.notices).toEqual([]);
    expect(nudges).toBe(0);
  });

  it('needs a new sign-in when no refresh token was issued', async () => {
    repo.row = { ...repo.row!, refreshToken: null, accessExpiresAt: now };
    await expect(useCases().currentToken(mailbox)).rejects.toThrow(/no refresh token/);
    expect(repo.row.status).toBe('needs_reauthorization');
    expect(repo.notices.map((n) => n.reason)).toEqual([
      'the provider issued no refresh token (offline access was not granted)',
    ]);
  });
});
