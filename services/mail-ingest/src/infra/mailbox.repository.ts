import type { MailboxListQuery, MailboxRepository } from '../app/ports';
import type { Mailbox, TlsMode } from '../domain/mailbox';
import { toMailboxOAuth } from './mailbox-oauth.repository';
import { intakeMetrics } from './intake.metrics';
import type {
  Mailbox as MailboxRow,
  MailboxOAuth as OAuthRow,
  Prisma,
  PrismaClient,
} from './prisma/generated/client';

const withOAuth = { oauth: true } as const;

function toMailbox(row: MailboxRow & { oauth?: OAuthRow | null }): Mailbox {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    address: row.address,
    imap:
      row.imapHost && row.imapPort !== null
        ? {
            host: row.imapHost,
            port: row.imapPort,
            tls: (row.imapTls ?? 'tls') as TlsMode,
            user: row.imapUser ?? '',
            auth: row.imapAuth === 'oauth2' ? 'oauth2' : 'password',
            folder: row.imapFolder ?? 'INBOX',
            processedFolder: row.imapProcessedFolder,
          }
        : null,
    imapSecret: row.imapSecret ? Buffer.from(row.imapSecret) : null,
    smtp: { host: row.smtpHost, port: row.smtpPort, tls: row.smtpTls as TlsMode, user: row.smtpUser },
    smtpSecret: row.smtpSecret ? Buffer.from(row.smtpSecret) : null,
    pollIntervalSeconds: row.pollIntervalSeconds,
    intakeTokenHash: row.intakeTokenHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    version: row.version,
    uidValidity: Number(row.uidValidity),
    lastUid: Number(row.lastUid),
    lastSyncAt: row.lastSyncAt,
    lastSyncError: row.lastSyncError,
    oauth: row.oauth ? toMailboxOAuth(row.oauth) : null,
  };
}

function toRow(m: Mailbox): Prisma.MailboxUncheckedCreateInput {
  return {
    id: m.id,
    tenantId: m.tenantId,
    name: m.name,
    address: m.address,
    imapHost: m.imap?.host ?? null,
    imapPort: m.imap?.port ?? null,
    imapTls: m.imap?.tls ?? null,
    imapUser: m.imap?.user ?? null,
    imapAuth: m.imap?.auth ?? null,
    imapSecret: m.imapSecret ? new Uint8Array(m.imapSecret) : null,
    imapFolder: m.imap?.folder ?? null,
    imapProcessedFolder: m.imap?.processedFolder ?? null,
    smtpHost: m.smtp.host,
    smtpPort: m.smtp.port,
    smtpTls: m.smtp.tls,
    smtpUser: m.smtp.user,
    smtpSecret: m.smtpSecret ? new Uint8Array(m.smtpSecret) : null,
    pollIntervalSeconds: m.pollIntervalSeconds,
    intakeTokenHash: m.intakeTokenHash,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    deletedAt: m.deletedAt,
    version: m.version,
    uidValidity: BigInt(m.uidValidity),
    lastUid: BigInt(m.lastUid),
    lastSyncAt: m.lastSyncAt,
    lastSyncError: m.lastSyncError,
  };
}

export class PrismaMailboxRepository implements MailboxRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(mailbox: Mailbox): Promise<void> {
    await this.prisma.mailbox.create({ data: toRow(mailbox) });
  }

  async update(mailbox: Mailbox, previousVersion: number): Promise<boolean> {
    // the IMAP cursor is the poller's: a settings change only resets it when the account moved (uidValidity 0)
    const {
      id,
      tenantId,
      createdAt: _c,
      uidValidity,
      lastUid,
      lastSyncAt: _s,
      lastSyncError: _e,
      ...rest
    } = toRow(mailbox);
    const cursor = mailbox.uidValidity === 0 ? { uidValidity, lastUid } : {};
    const update = this.prisma.mailbox.updateMany({
      where: { id, tenantId, version: previousVersion },
      data: { ...rest, ...cursor },
    });
    if (!mailbox.deletedAt) return (await update).count === 1;
    // a deleted mailbox keeps no OAuth2 tokens
    const [result] = await this.prisma.$transaction([
      update,
      // only when the update above took (the mailbox is deleted now)
      this.prisma.mailboxOAuth.deleteMany({
        where: { mailboxId: id, tenantId, mailbox: { deletedAt: { not: null } } },
      }),
    ]);
    return result.count === 1;
  }

  async find(tenantId: string, id: string): Promise<Mailbox | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.mailbox.findFirst({
      where: { id, tenantId, deletedAt: null },
      include: withOAuth,
    });
    return row ? toMailbox(row) : null;
  }

  async findAny(id: string): Promise<Mailbox | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.mailbox.findUnique({ where: { id }, include: withOAuth });
    return row ? toMailbox(row) : null;
  }

  async list(query: MailboxListQuery): Promise<Mailbox[]> {
    const after = query.after;
    const rows = await this.prisma.mailbox.findMany({
      where: {
        tenantId: query.tenantId,
        deletedAt: null,
        ...(after ? { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: query.limit,
      include: withOAuth,
    });
    return rows.map(toMailbox);
  }

  async listPolled(): Promise<Mailbox[]> {
    // an OAuth2 mailbox is read once signed in, and no longer once its grant was refused
    const rows = await this.prisma.mailbox.findMany({
      where: {
        deletedAt: null,
        imapHost: { not: null },
        OR: [
          { imapAuth: { not: 'oauth2' } },
          { oauth: { is: { status: 'connected' } } },
          { oauth: { is: null }, imapSecret: { not: null } },
        ],
      },
      include: withOAuth,
    });
    return rows.map(toMailbox);
  }

  async addressesOf(tenantId: string): Promise<string[]> {
    const rows = await this.prisma.mailbox.findMany({
      where: { tenantId, deletedAt: null },
      select: { address: true },
    });
    return rows.map((r) => r.address);
  }

  async defaultOf(tenantId: string): Promise<Mailbox | null> {
    const row = await this.prisma.mailbox.findFirst({
      where: { tenantId, deletedAt: null },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: withOAuth,
    });
    return row ? toMailbox(row) : null;
  }

  async saveSyncState(
    id: string,
    state: { uidValidity: number; lastUid: number; error: string | null; at: Date },
  ): Promise<void> {
    await this.prisma.mailbox.update({
      where: { id },
      data: {
        uidValidity: BigInt(state.uidValidity),
        lastUid: BigInt(state.lastUid),
        lastSyncAt: state.at,
        lastSyncError: state.error,
      },
    });
    if (state.error !== null) intakeMetrics.pollError(id);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
