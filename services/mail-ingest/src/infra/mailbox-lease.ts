import type { PrismaClient } from './prisma/generated/client';

/**
 * One poller per mailbox across replicas: a row per mailbox names the replica reading it until `expires_at`. The
 * holder renews it well before it runs out; another replica takes it over only once it has expired.
 */
export class MailboxLeases {
  constructor(
    private readonly prisma: PrismaClient,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease; true when this replica holds it now. */
  async acquire(mailboxId: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<Array<{ owner: string }>>`
      INSERT INTO mailbox_leases (mailbox_id, owner, expires_at)
      VALUES (${mailboxId}::uuid, ${this.owner}, now() + ${this.ttlMs}::int * interval '1 millisecond')
      ON CONFLICT (mailbox_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
      WHERE mailbox_leases.owner = EXCLUDED.owner OR mailbox_leases.expires_at < now()
      RETURNING owner`;
    return rows.length === 1 && rows[0]!.owner === this.owner;
  }

  async release(mailboxId: string): Promise<void> {
    await this.prisma
      .$executeRaw`DELETE FROM mailbox_leases WHERE mailbox_id = ${mailboxId}::uuid AND owner = ${this.owner}`;
  }
}
