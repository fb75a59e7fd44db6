import type {
  ListedTicket,
  ListTicketsQuery,
  TicketFilter,
  TicketRepository,
  TicketWriter,
} from '../app/ports';
import type { Ticket } from '../domain/ticket';
import { cursorAfter, type TicketCursor, type TicketSort } from '../domain/ticket-query';
import { TICKET_PRIORITIES } from '../domain/ticket';
import { Prisma, type PrismaClient, type Ticket as TicketRow } from './prisma/generated/client';
import { translated } from './prisma-errors';
import { slaFromJson } from './sla-json';

type Db = PrismaClient | Prisma.TransactionClient;

/** The text search configuration of the full-text index (stemming for the product's main language). */
export const SEARCH_CONFIG = 'english';
// Inputs are cut before indexing: a tsvector holds at most 1 MB, and the first pages of a text say what it is about.
const SEARCH_TEXT_MAX = 20_000;
const SEARCH_VECTOR_MAX_BYTES = 512 * 1024;

// Every column but the search vector, named like the Prisma model so that raw rows map like client rows.
const COLUMNS = Prisma.sql`t.id, t.tenant_id AS "tenantId", t.number, t.title, t.description_html AS "descriptionHtml",
  t.description_text AS "descriptionText", t.status::text AS status, t.priority::text AS priority, t.source::text AS source,
  t.raised_by AS "raisedBy", t.requester_email AS "requesterEmail", t.requester_name AS "requesterName",
  t.created_by_type::text AS "createdByType", t.created_by_id AS "createdById", t.opened_at AS "openedAt",
  t.updated_at AS "updatedAt", t.version, t.type, t.category, t.client_id AS "clientId", t.contact_id AS "contactId",
  t.assignee_id AS "assigneeId", t.team_id AS "teamId", t.tags, t.cc, t.link_project AS "linkProject",
  t.link_lead AS "linkLead", t.template_id AS "templateId", t.first_responded_at AS "firstRespondedAt",
  t.resolved_at AS "resolvedAt", t.resolution_details AS "resolutionDetails", t.closed_at AS "closedAt",
  t.last_customer_reply_at AS "lastCustomerReplyAt", t.last_agent_reply_at AS "lastAgentReplyAt",
  t.merged_into_id AS "mergedIntoId", t.follow_up_of_id AS "followUpOfId", t.sla, t.sla_state AS "slaState",
  t.sla_sequence AS "slaSequence", t.time_spent_minutes AS "timeSpentMinutes", t.time_sequence AS "timeSequence",
  t.rating_score AS "ratingScore", t.rating_comment AS "ratingComment", t.rated_at AS "ratedAt",
  t.dedupe_key AS "dedupeKey"`;

/** Tenant-scoped reads of tickets. */
export class PrismaTicketRepository implements TicketRepository {
  constructor(private readonly db: Db) {}

  async findById(tenantId: string, id: string): Promise<Ticket | null> {
    const row = await this.db.ticket.findFirst({ where: { id, tenantId } });
    return row ? toDomain(row) : null;
  }

  async findByNumber(tenantId: string, number: number): Promise<Ticket | null> {
    const row = await this.db.ticket.findFirst({ where: { tenantId, number } });
    return row ? toDomain(row) : null;
  }

  async findByDedupeKey(tenantId: string, dedupeKey: string): Promise<Ticket | null> {
    const row = await this.db.ticket.findFirst({ where: { tenantId, dedupeKey } });
    return row ? toDomain(row) : null;
  }

  async findByEmailMessageIds(
    tenantId: string,
    messageIds: string[],
  ): Promise<{ ticket: Ticket; matchedMessageId: string } | null> {
    const rows = await this.db.ticketMessage.findMany({
      where: { tenantId, emailMessageId: { in: messageIds } },
      select: { ticketId: true, emailMessageId: true },
    });
    for (const id of messageIds) {
      const row = rows.find((r) => r.emailMessageId === id);
      const ticket = row ? await this.findById(tenantId, row.ticketId) : null;
      if (ticket) return { ticket, matchedMessageId: id };
    }
    return null;
  }

  async list(query: ListTicketsQuery): Promise<ListedTicket[]> {
    const { filter, sort } = query;
    const where = [Prisma.sql`t.tenant_id = ${query.tenantId}::uuid`, ...conditions(filter)];
    if (sort === 'relevance') {
      const q = filter.q ?? '';
      const number = /^#?\d{1,9}$/.test(q.trim()) ? Number(q.trim().replace('#', '')) : null;
      // a ticket named by its number ranks above every text match
      const rank = Prisma.sql`(CASE WHEN ${number}::int IS NOT NULL AND t.number = ${number}::int THEN 1e6::float8
        ELSE ts_rank(t.search_vector, websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${q}))::float8 END)`;
      const after =
        query.after?.sort === 'relevance'
          ? Prisma.sql`WHERE (s.rank < ${query.after.rank}::float8 OR (s.rank = ${query.after.rank}::float8 AND s.id < ${query.after.id}::uuid))`
          : Prisma.empty;
      const rows = await this.db.$queryRaw<Array<TicketRow & { rank: number }>>`
        SELECT * FROM (SELECT ${COLUMNS}, ${rank} AS rank FROM tickets t WHERE ${Prisma.join(where, ' AND ')}) s
        ${after}
        ORDER BY s.rank DESC, s.id DESC LIMIT ${query.limit}`;
      return rows.map((row) => {
        const ticket = toDomain(row);
        return { ticket, cursor: cursorAfter(sort, ticket, Number(row.rank)) };
      });
    }
    if (query.after) where.push(keyset(query.after));
    const rows = await this.db.$queryRaw<TicketRow[]>`
      SELECT ${COLUMNS} FROM tickets t WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY ${orderBy(sort)} LIMIT ${query.limit}`;
    return rows.map((row) => {
      const ticket = toDomain(row);
      return { ticket, cursor: cursorAfter(sort, ticket) };
    });
  }
}

function uuids(ids: string[]): Prisma.Sql {
  return Prisma.sql`ARRAY[${Prisma.join(ids)}]::uuid[]`;
}

function texts(values: string[]): Prisma.Sql {
  return Prisma.sql`ARRAY[${Prisma.join(values)}]::text[]`;
}

function conditions(filter: TicketFilter): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  // compared as the enum types, so that the (tenant, status, …) and (tenant, priority, …) indexes apply
  if (filter.statuses.length)
    out.push(Prisma.sql`t.status = ANY(ARRAY[${Prisma.join(filter.statuses)}]::ticket_status[])`);
  if (filter.priorities.length)
    out.push(Prisma.sql`t.priority = ANY(ARRAY[${Prisma.join(filter.priorities)}]::ticket_priority[])`);
  if (filter.clientIds.length) out.push(Prisma.sql`t.client_id = ANY(${uuids(filter.clientIds)})`);
  if (filter.assigneeIds.length && filter.unassigned) {
    out.push(Prisma.sql`(t.assignee_id = ANY(${uuids(filter.assigneeIds)}) OR t.assignee_id IS NULL)`);
  } else if (filter.assigneeIds.length) {
    out.push(Prisma.sql`t.assignee_id = ANY(${uuids(filter.assigneeIds)})`);
  } else if (filter.unassigned) {
    out.push(Prisma.sql`t.assignee_id IS NULL`);
  }
  if (filter.teamIds.length) out.push(Prisma.sql`t.team_id = ANY(${uuids(filter.teamIds)})`);
  if (filter.contactIds.length) out.push(Prisma.sql`t.contact_id = ANY(${uuids(filter.contactIds)})`);
  if (filter.categories.length)
    out.push(Prisma.sql`lower(t.category) = ANY(${texts(filter.categories.map((c) => c.toLowerCase()))})`);
  if (filter.types.length)
    out.push(Prisma.sql`lower(t.type) = ANY(${texts(filter.types.map((c) => c.toLowerCase()))})`);
  if (filter.tags.length) out.push(Prisma.sql`t.tags @> ${texts(filter.tags)}`);
  if (filter.slaState) out.push(Prisma.sql`t.sla_state = ${filter.slaState}`);
  if (filter.q) {
    const q = filter.q.trim();
    const number = /^#?\d{1,9}$/.test(q) ? Number(q.replace('#', '')) : null;
    const text = Prisma.sql`t.search_vector @@ websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${q})`;
    out.push(number === null ? text : Prisma.sql`(${text} OR t.number = ${number}::int)`);
  }
  const viewer = filter.viewer;
  if (viewer) {
    switch (viewer.portalAccess) {
      case 'none':
        out.push(Prisma.sql`FALSE`);
        break;
      case 'own':
        out.push(Prisma.sql`t.contact_id = ${viewer.contactId}::uuid`);
        break;
      case 'client':
        out.push(
          viewer.clientId
            ? Prisma.sql`(t.contact_id = ${viewer.contactId}::uuid OR t.client_id = ${viewer.clientId}::uuid)`
            : Prisma.sql`t.contact_id = ${viewer.contactId}::uuid`,
        );
        break;
    }
  }
  return out;
}

interface SortKey {
  column: Prisma.Sql;
  value: Prisma.Sql;
}

function sortKeys(cursor: TicketCursor): SortKey[] {
  const id = { column: Prisma.sql`t.id`, value: Prisma.sql`${cursor.id}::uuid` };
  switch (cursor.sort) {
    case '-openedAt':
    case 'openedAt':
      return [{ column: Prisma.sql`t.opened_at`, value: Prisma.sql`${cursor.at}::timestamptz` }, id];
    case '-updatedAt':
    case 'updatedAt':
      return [{ column: Prisma.sql`t.updated_at`, value: Prisma.sql`${cursor.at}::timestamptz` }, id];
    case '-number':
    case 'number':
      return [{ column: Prisma.sql`t.number`, value: Prisma.sql`${cursor.number}::int` }, id];
    case '-priority':
    case 'priority':
      return [
        {
          column: Prisma.sql`t.priority`,
          value: Prisma.sql`${TICKET_PRIORITIES[cursor.priorityRank]}::ticket_priority`,
        },
        { column: Prisma.sql`t.opened_at`, value: Prisma.sql`${cursor.openedAt}::timestamptz` },
        id,
      ];
    case 'relevance':
      throw new Error('relevance pages are continued by rank');
  }
}

/**
 * "After the cursor" as `k1 <= v1 AND (k1 < v1 OR (k2 <= v2 AND (k2 < v2 OR id < i)))` (mirrored for ascending):
 * the outer bound lets the index scan start at the cursor instead of filtering every earlier row.
 */
function keyset(cursor: TicketCursor): Prisma.Sql {
  const descending = cursor.sort.startsWith('-');
  const [strict, loose] = descending
    ? [Prisma.raw('<'), Prisma.raw('<=')]
    : [Prisma.raw('>'), Prisma.raw('>=')];
  const keys = sortKeys(cursor);
  const build = (i: number): Prisma.Sql => {
    const key = keys[i]!;
    if (i === keys.length - 1) return Prisma.sql`${key.column} ${strict} ${key.value}`;
    return Prisma.sql`${key.column} ${loose} ${key.value} AND (${key.column} ${strict} ${key.value} OR (${build(i + 1)}))`;
  };
  return Prisma.sql`(${build(0)})`;
}

function orderBy(sort: Exclude<TicketSort, 'relevance'>): Prisma.Sql {
  const dir = Prisma.raw(sort.startsWith('-') ? 'DESC' : 'ASC');
  switch (sort) {
    case '-openedAt':
    case 'openedAt':
      return Prisma.sql`t.opened_at ${dir}, t.id ${dir}`;
    case '-updatedAt':
    case 'updatedAt':
      return Prisma.sql`t.updated_at ${dir}, t.id ${dir}`;
    case '-number':
    case 'number':
      return Prisma.sql`t.number ${dir}, t.id ${dir}`;
    case '-priority':
    case 'priority':
      return Prisma.sql`t.priority ${dir}, t.opened_at ${dir}, t.id ${dir}`;
  }
}

const SEARCH_DOCUMENT = Prisma.sql`setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, left(title, 1000)), 'A') ||
  setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, left(description_text, ${SEARCH_TEXT_MAX}::int)), 'B')`;

/** Ticket writes through a transaction client, so they commit with whatever else the transaction does. */
export class PrismaTicketWriter implements TicketWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async lock(tenantId: string, id: string): Promise<Ticket | null> {
    const rows = await this.tx.$queryRaw<TicketRow[]>`
      SELECT ${COLUMNS} FROM tickets t WHERE t.tenant_id = ${tenantId}::uuid AND t.id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async insert(ticket: Ticket, dedupeKey?: string): Promise<void> {
    // one statement, with the full-text document computed by the database (Prisma cannot write a tsvector)
    const r = toRow(ticket);
    await translated(
      () => this.tx.$executeRaw`
      INSERT INTO tickets (id, tenant_id, number, title, description_html, description_text, status, priority, source,
        raised_by, requester_email, requester_name, created_by_type, created_by_id, opened_at, updated_at, version,
        type, category, client_id, contact_id, assignee_id, team_id, tags, cc, link_project, link_lead, template_id,
        follow_up_of_id, dedupe_key, search_vector)
      VALUES (${r.id}::uuid, ${r.tenantId}::uuid, ${r.number}, ${r.title}, ${r.descriptionHtml}, ${r.descriptionText},
        ${r.status}::ticket_status, ${r.priority}::ticket_priority, ${r.source}::ticket_source, ${r.raisedBy},
        ${r.requesterEmail}, ${r.requesterName}, ${r.createdByType}::actor_type, ${r.createdById}, ${r.openedAt},
        ${r.updatedAt}, ${r.version}, ${r.type}, ${r.category}, ${r.clientId}::uuid, ${r.contactId}::uuid,
        ${r.assigneeId}::uuid, ${r.teamId}::uuid, ${r.tags}::text[], ${r.cc}::text[], ${r.linkProject}, ${r.linkLead},
        ${r.templateId}::uuid, ${r.followUpOfId}::uuid, ${dedupeKey ?? null},
        setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, left(${r.title}, 1000)), 'A') ||
        setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, left(${r.descriptionText}, ${SEARCH_TEXT_MAX}::int)), 'B'))`,
    );
  }

  async update(ticket: Ticket, previousVersion: number): Promise<boolean> {
    const r = toRow(ticket);
    const { count } = await this.tx.ticket.updateMany({
      where: { id: ticket.id, tenantId: ticket.tenantId, version: previousVersion },
      data: {
        title: r.title,
        descriptionHtml: r.descriptionHtml,
        descriptionText: r.descriptionText,
        status: r.status,
        priority: r.priority,
        updatedAt: r.updatedAt,
        version: r.version,
        type: r.type,
        category: r.category,
        requesterEmail: r.requesterEmail,
        requesterName: r.requesterName,
        clientId: r.clientId,
        contactId: r.contactId,
        assigneeId: r.assigneeId,
        teamId: r.teamId,
        tags: r.tags,
        cc: r.cc,
        linkProject: r.linkProject,
        linkLead: r.linkLead,
        firstRespondedAt: r.firstRespondedAt,
        resolvedAt: r.resolvedAt,
        resolutionDetails: r.resolutionDetails,
        closedAt: r.closedAt,
        lastCustomerReplyAt: r.lastCustomerReplyAt,
        lastAgentReplyAt: r.lastAgentReplyAt,
        mergedIntoId: r.mergedIntoId,
        ratingScore: r.ratingScore,
        ratingComment: r.ratingComment,
        ratedAt: r.ratedAt,
      },
    });
    return count > 0;
  }

  async appendSearchText(tenantId: string, ticketId: string, text: string): Promise<void> {
    await this.tx.$executeRaw`
      UPDATE tickets SET search_vector = coalesce(search_vector, ''::tsvector) ||
        setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, left(${text}, ${SEARCH_TEXT_MAX}::int)), 'C')
      WHERE tenant_id = ${tenantId}::uuid AND id = ${ticketId}::uuid
        AND coalesce(pg_column_size(search_vector), 0) < ${SEARCH_VECTOR_MAX_BYTES}::int`;
  }

  async rebuildSearch(tenantId: string, ticketId: string): Promise<void> {
    await this.tx.$executeRaw`
      UPDATE tickets SET search_vector = ${SEARCH_DOCUMENT} || setweight(to_tsvector(${SEARCH_CONFIG}::regconfig, coalesce((
          SELECT left(string_agg(left(m.body_text, ${SEARCH_TEXT_MAX}::int), ' ' ORDER BY m.seq), 200000)
          FROM ticket_messages m WHERE m.tenant_id = ${tenantId}::uuid AND m.ticket_id = ${ticketId}::uuid), '')), 'C')
      WHERE tenant_id = ${tenantId}::uuid AND id = ${ticketId}::uuid`;
  }
}

function toRow(ticket: Ticket) {
  return {
    id: ticket.id,
    tenantId: ticket.tenantId,
    number: ticket.number,
    title: ticket.title,
    descriptionHtml: ticket.descriptionHtml,
    descriptionText: ticket.descriptionText,
    status: ticket.status,
    priority: ticket.priority,
    source: ticket.source,
    raisedBy: ticket.raisedBy,
    requesterEmail: ticket.requester.email,
    requesterName: ticket.requester.name,
    createdByType: ticket.createdBy.type,
    createdById: ticket.createdBy.id,
    openedAt: ticket.openedAt,
    updatedAt: ticket.updatedAt,
    version: ticket.version,
    type: ticket.type,
    category: ticket.category,
    clientId: ticket.clientId,
    contactId: ticket.contactId,
    assigneeId: ticket.assigneeId,
    teamId: ticket.teamId,
    tags: ticket.tags,
    cc: ticket.cc,
    linkProject: ticket.links.project,
    linkLead: ticket.links.lead,
    templateId: ticket.templateId,
    firstRespondedAt: ticket.firstRespondedAt,
    resolvedAt: ticket.resolvedAt,
    resolutionDetails: ticket.resolutionDetails,
    closedAt: ticket.closedAt,
    lastCustomerReplyAt: ticket.lastCustomerReplyAt,
    lastAgentReplyAt: ticket.lastAgentReplyAt,
    mergedIntoId: ticket.mergedIntoId,
    followUpOfId: ticket.followUpOfId,
    ratingScore: ticket.rating?.score ?? null,
    ratingComment: ticket.rating?.comment ?? null,
    ratedAt: ticket.rating?.ratedAt ?? null,
  };
}

export function toDomain(row: TicketRow): Ticket {
  return {
    id: row.id,
    tenantId: row.tenantId,
    number: row.number,
    title: row.title,
    descriptionHtml: row.descriptionHtml,
    descriptionText: row.descriptionText,
    status: row.status,
    priority: row.priority,
    source: row.source,
    raisedBy: row.raisedBy,
    requester: { email: row.requesterEmail, name: row.requesterName },
    createdBy: { type: row.createdByType, id: row.createdById },
    openedAt: row.openedAt,
    updatedAt: row.updatedAt,
    version: row.version,
    type: row.type,
    category: row.category,
    clientId: row.clientId,
    contactId: row.contactId,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    tags: row.tags ?? [],
    cc: row.cc ?? [],
    links: { project: row.linkProject, lead: row.linkLead },
    templateId: row.templateId,
    firstRespondedAt: row.firstRespondedAt,
    resolvedAt: row.resolvedAt,
    resolutionDetails: row.resolutionDetails,
    closedAt: row.closedAt,
    lastCustomerReplyAt: row.lastCustomerReplyAt,
    lastAgentReplyAt: row.lastAgentReplyAt,
    mergedIntoId: row.mergedIntoId,
    followUpOfId: row.followUpOfId,
    sla: slaFromJson(row.sla),
    timeSpentMinutes: row.timeSpentMinutes,
    rating:
      row.ratingScore !== null && row.ratedAt !== null
        ? { score: row.ratingScore, comment: row.ratingComment ?? '', ratedAt: row.ratedAt }
        : null,
  };
}
