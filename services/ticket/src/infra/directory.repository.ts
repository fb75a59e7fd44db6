import type {
  ClientListQuery,
  ContactListQuery,
  DirectoryReader,
  DirectoryWriter,
  PasswordChange,
} from '../app/ports';
import { sortKey, type Client, type Contact, type NameCursor } from '../domain/directory';
import {
  Prisma,
  type PrismaClient,
  type Client as ClientRow,
  type Contact as ContactRow,
} from './prisma/generated/client';
import { translated } from './prisma-errors';

type Db = PrismaClient | Prisma.TransactionClient;

// (name, id) > cursor, for name-ordered keyset pages
function afterName(after: NameCursor | undefined) {
  return after
    ? { OR: [{ sortName: { gt: after.name } }, { sortName: after.name, id: { gt: after.id } }] }
    : {};
}

/** Tenant-scoped reads of clients and contacts. */
export class PrismaDirectoryReader implements DirectoryReader {
  constructor(private readonly db: Db) {}

  async findClient(tenantId: string, id: string): Promise<Client | null> {
    const row = await this.db.client.findFirst({ where: { id, tenantId } });
    return row ? clientToDomain(row) : null;
  }

  async listClients(query: ClientListQuery): Promise<Client[]> {
    const rows = await this.db.client.findMany({
      where: {
        tenantId: query.tenantId,
        ...(query.nameContains ? { name: { contains: query.nameContains, mode: 'insensitive' } } : {}),
        ...afterName(query.after),
      },
      orderBy: [{ sortName: 'asc' }, { id: 'asc' }],
      take: query.limit,
    });
    return rows.map(clientToDomain);
  }

  async findClientIdByDomain(tenantId: string, domain: string): Promise<string | null> {
    const row = await this.db.clientDomain.findUnique({
      where: { tenantId_domain: { tenantId, domain } },
      select: { clientId: true },
    });
    return row?.clientId ?? null;
  }

  async findContact(tenantId: string, id: string): Promise<Contact | null> {
    const row = await this.db.contact.findFirst({ where: { id, tenantId } });
    return row ? contactToDomain(row) : null;
  }

  async findPortalCredentials(
    tenantId: string,
    email: string,
  ): Promise<{ contact: Contact; passwordHash: string | null } | null> {
    const row = await this.db.contact.findFirst({ where: { tenantId, email } });
    return row ? { contact: contactToDomain(row), passwordHash: row.portalPasswordHash } : null;
  }

  async findContactByEmail(tenantId: string, email: string): Promise<Contact | null> {
    const row = await this.db.contact.findUnique({ where: { tenantId_email: { tenantId, email } } });
    return row ? contactToDomain(row) : null;
  }

  async listContacts(query: ContactListQuery): Promise<Contact[]> {
    const rows = await this.db.contact.findMany({
      where: {
        tenantId: query.tenantId,
        ...(query.clientId ? { clientId: query.clientId } : {}),
        ...(query.email ? { email: query.email } : {}),
        ...(query.text
          ? {
              AND: [
                {
                  OR: [
                    { name: { contains: query.text, mode: 'insensitive' } },
                    { email: { contains: query.text, mode: 'insensitive' } },
                  ],
                },
              ],
            }
          : {}),
        ...afterName(query.after),
      },
      orderBy: [{ sortName: 'asc' }, { id: 'asc' }],
      take: query.limit,
    });
    return rows.map(contactToDomain);
  }
}

/** Directory writes through a transaction client, so they commit with the events of the same change. */
export class PrismaDirectoryWriter implements DirectoryWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async insertClient(client: Client): Promise<void> {
    await translated(async () => {
      await this.tx.client.create({
        data: {
          id: client.id,
          tenantId: client.tenantId,
          name: client.name,
          sortName: sortKey(client.name),
          domains: client.domains,
          slaPolicyId: client.slaPolicyId,
          notes: client.notes,
          createdAt: client.createdAt,
          updatedAt: client.updatedAt,
          version: client.version,
        },
      });
      await this.insertDomains(client);
    });
  }

  async updateClient(client: Client, previousVersion: number): Promise<boolean> {
    return translated(async () => {
      const { count } = await this.tx.client.updateMany({
        where: { id: client.id, tenantId: client.tenantId, version: previousVersion },
        data: {
          name: client.name,
          sortName: sortKey(client.name),
          domains: client.domains,
          slaPolicyId: client.slaPolicyId,
          notes: client.notes,
          updatedAt: client.updatedAt,
          version: client.version,
        },
      });
      if (count === 0) return false;
      await this.tx.clientDomain.deleteMany({ where: { tenantId: client.tenantId, clientId: client.id } });
      await this.insertDomains(client);
      return true;
    });
  }

  async insertContact(contact: Contact, passwordHash: string | null): Promise<void> {
    await translated(() =>
      this.tx.contact.create({
        data: {
          id: contact.id,
          tenantId: contact.tenantId,
          name: contact.name,
          sortName: sortKey(contact.name),
          email: contact.email,
          phone: contact.phone,
          clientId: contact.clientId,
          portalAccess: contact.portalAccess,
          portalPasswordHash: passwordHash,
          emailBouncing: contact.emailBouncing,
          createdAt: contact.createdAt,
          updatedAt: contact.updatedAt,
          version: contact.version,
        },
      }),
    );
  }

  async updateContact(
    contact: Contact,
    previousVersion: number,
    password?: PasswordChange,
    bouncedAt?: Date | null,
  ): Promise<boolean> {
    return translated(async () => {
      const { count } = await this.tx.contact.updateMany({
        where: { id: contact.id, tenantId: contact.tenantId, version: previousVersion },
        data: {
          name: contact.name,
          sortName: sortKey(contact.name),
          email: contact.email,
          phone: contact.phone,
          clientId: contact.clientId,
          portalAccess: contact.portalAccess,
          ...(password ? { portalPasswordHash: password.hash } : {}),
          emailBouncing: contact.emailBouncing,
          ...(bouncedAt !== undefined ? { bouncedAt } : {}),
          updatedAt: contact.updatedAt,
          version: contact.version,
        },
      });
      return count > 0;
    });
  }

  private async insertDomains(client: Client): Promise<void> {
    if (client.domains.length === 0) return;
    await this.tx.clientDomain.createMany({
      data: client.domains.map((domain) => ({ tenantId: client.tenantId, domain, clientId: client.id })),
    });
  }
}

function clientToDomain(row: ClientRow): Client {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    domains: row.domains,
    slaPolicyId: row.slaPolicyId,
    notes: row.notes,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

// The password hash stays here: the domain only learns whether one is set.
function contactToDomain(row: ContactRow): Contact {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    email: row.email,
    phone: row.phone,
    clientId: row.clientId,
    portalAccess: row.portalAccess,
    hasPortalPassword: row.portalPasswordHash !== null,
    emailBouncing: row.emailBouncing,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
