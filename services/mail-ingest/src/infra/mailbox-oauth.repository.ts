import { enqueueCatalogEvent } from '@helpdesk/bus';
import type { MailboxOAuthRepository, OAuthRowUpdate, ReauthorizationNotice } from '../app/ports';
import type { MailboxOAuth, OAuthFlow, OAuthProviderName, OAuthStatus } from '../domain/mailbox';
import { isUuid } from './mailbox.repository';
import type {
  MailboxOAuth as OAuthRow,
  OAuthFlow as FlowRow,
  Prisma,
  PrismaClient,
} from './prisma/generated/client';

const bytes = (b: Buffer | null): Uint8Array<ArrayBuffer> | null => (b ? new Uint8Array(b) : null);

export function toMailboxOAuth(row: OAuthRow): MailboxOAuth {
  return {
    mailboxId: row.mailboxId,
    tenantId: row.tenantId,
    provider: row.provider as OAuthProviderName,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret: row.clientSecret ? Buffer.from(row.clientSecret) : null,
    scopes: row.scopes,
    status: row.status as OAuthStatus,
    statusReason: row.statusReason,
    accessToken: Buffer.from(row.accessToken),
    accessExpiresAt: row.accessExpiresAt,
    refreshToken: row.refreshToken ? Buffer.from(row.refreshToken) : null,
    connectedAt: row.connectedAt,
    refreshedAt: row.refreshedAt,
    updatedAt: row.updatedAt,
  };
}

function toFlow(row: FlowRow): OAuthFlow {
  return {
    stateHash: row.stateHash,
    tenantId: row.tenantId,
    mailboxId: row.mailboxId,
    provider: row.provider as OAuthProviderName,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret: row.clientSecret ? Buffer.from(row.clientSecret) : null,
    scopes: row.scopes,
    codeVerifier: Buffer.from(row.codeVerifier),
    redirectUri: row.redirectUri,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

function updateData(update: OAuthRowUpdate): Prisma.MailboxOAuthUncheckedUpdateInput {
  const data: Prisma.MailboxOAuthUncheckedUpdateInput = { updatedAt: new Date() };
  if (update.status !== undefined) data.status = update.status;
  if (update.statusReason !== undefined) data.statusReason = update.statusReason;
  if (update.accessToken !== undefined) data.accessToken = new Uint8Array(update.accessToken);
  if (update.accessExpiresAt !== undefined) data.accessExpiresAt = update.accessExpiresAt;
  if (update.refreshToken !== undefined) data.refreshToken = bytes(update.refreshToken);
  if (update.refreshedAt !== undefined) data.refreshedAt = update.refreshedAt;
  return data;
}

export class PrismaMailboxOAuthRepository implements MailboxOAuthRepository {
  constructor(
    private readonly prisma: PrismaClient,
    /** How long a refresh may hold the row lock (the provider's HTTP timeout and some). */
    private readonly lockMs: number,
  ) {}

  async saveFlow(flow: OAuthFlow): Promise<void> {
    // expired flows go as new ones come: nothing else reads them
    await this.prisma.oAuthFlow.deleteMany({ where: { expiresAt: { lt: flow.createdAt } } });
    await this.prisma.oAuthFlow.create({
      data: {
        ...flow,
        clientSecret: bytes(flow.clientSecret),
        codeVerifier: new Uint8Array(flow.codeVerifier),
      },
    });
  }

  async takeFlow(stateHash: string, now: Date): Promise<OAuthFlow | null> {
    // DELETE ... RETURNING: of two redirects with the same state, only one gets the flow
    const rows = await this.prisma.$queryRaw<FlowRow[]>`
      DELETE FROM oauth_flows WHERE state_hash = ${stateHash}
      RETURNING state_hash AS "stateHash", tenant_id::text AS "tenantId", mailbox_id::text AS "mailboxId",
        provider, issuer, client_id AS "clientId", client_secret AS "clientSecret", scopes,
        code_verifier AS "codeVerifier", redirect_uri AS "redirectUri", created_at AS "createdAt",
        expires_at AS "expiresAt"`;
    const row = rows[0];
    if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
    return toFlow(row);
  }

  async find(tenantId: string, mailboxId: string): Promise<MailboxOAuth | null> {
    if (!isUuid(mailboxId)) return null;
    const row = await this.prisma.mailboxOAuth.findFirst({ where: { mailboxId, tenantId } });
    return row ? toMailboxOAuth(row) : null;
  }

  async connect(o: MailboxOAuth): Promise<void> {
    const data = {
      tenantId: o.tenantId,
      provider: o.provider,
      issuer: o.issuer,
      clientId: o.clientId,
      clientSecret: bytes(o.clientSecret),
      scopes: o.scopes,
      status: o.status,
      statusReason: o.statusReason,
      accessToken: new Uint8Array(o.accessToken),
      accessExpiresAt: o.accessExpiresAt,
      refreshToken: bytes(o.refreshToken),
      connectedAt: o.connectedAt,
      refreshedAt: o.refreshedAt,
      updatedAt: o.updatedAt,
    };
    await this.prisma.$transaction([
      this.prisma.mailboxOAuth.upsert({
        where: { mailboxId: o.mailboxId },
        create: { mailboxId: o.mailboxId, ...data },
        update: data,
      }),
      // the stored password or static token is of no use any more; a new version restarts the poller
      this.prisma.mailbox.updateMany({
        where: { id: o.mailboxId, tenantId: o.tenantId },
        data: {
          imapAuth: 'oauth2',
          imapSecret: null,
          lastSyncError: null,
          updatedAt: o.updatedAt,
          version: { increment: 1 },
        },
      }),
    ]);
  }

  async withLock<T>(
    tenantId: string,
    mailboxId: string,
    fn: (
      row: MailboxOAuth | null,
    ) => Promise<{ update?: OAuthRowUpdate; notice?: ReauthorizationNotice; value: T }>,
  ): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<Array<{ mailbox_id: string }>>`
          SELECT mailbox_id::text FROM mailbox_oauth
          WHERE mailbox_id = ${mailboxId}::uuid AND tenant_id = ${tenantId}::uuid FOR UPDATE`;
        const row = locked.length ? await tx.mailboxOAuth.findUnique({ where: { mailboxId } }) : null;
        const { update, notice, value } = await fn(row ? toMailboxOAuth(row) : null);
        if (row && update) await tx.mailboxOAuth.update({ where: { mailboxId }, data: updateData(update) });
        // the event exists if and only if the status change commits
        if (row && notice)
          await enqueueCatalogEvent(tx, 'helpdesk.mail.mailbox_needs_reauthorization', tenantId, {
            mailboxId,
            mailboxName: notice.mailboxName,
            mailboxAddress: notice.mailboxAddress,
            provider: notice.provider,
            reason: notice.reason,
          });
        return value;
      },
      { maxWait: this.lockMs, timeout: this.lockMs },
    );
  }
}
