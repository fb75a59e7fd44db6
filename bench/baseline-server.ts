// The baseline of the create-ticket benchmark: a bare Express 5 handler doing the same writes as the ticket
// service (a counter bump in its own autocommitted statement, then the ticket row and its outbox row in one
// transaction), with no gateway, gRPC, validation, sanitizing, tracing or relay. Started by bench/run.ts as
// its own process against a fresh, migrated copy of the ticket schema.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { Pool } from 'pg';

const FIRST_TICKET_NUMBER = 1001;

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const port = Number(env('PORT'));
const host = process.env.HOST ?? '127.0.0.1';
const tenantId = env('BASELINE_TENANT_ID');
const userId = env('BASELINE_USER_ID');
// the same pool size as the ticket service's Prisma pg adapter (libs/db: max 10)
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 10 });
pool.on('error', (err) => console.error('idle pg client failed:', err.message));

const BUMP_SQL = `
  INSERT INTO ticket_counter (tenant_id, next_number) VALUES ($1::uuid, $2)
  ON CONFLICT (tenant_id) DO UPDATE SET next_number = ticket_counter.next_number + 1
  RETURNING next_number - 1 AS number`;
// the ticket service's insert: the row with its full-text document (services/ticket/src/infra/ticket.repository.ts)
const INSERT_TICKET_SQL = `
  INSERT INTO tickets (id, tenant_id, number, title, description_html, description_text, status, priority, source,
    raised_by, requester_email, requester_name, created_by_type, created_by_id, opened_at, updated_at, version,
    search_vector)
  VALUES ($1::uuid, $2::uuid, $3, $4::text, $5, $6::text, 'open', $7::ticket_priority, 'agent',
    $8, $8, $9, 'user', $10, $11, $11, 1,
    setweight(to_tsvector('english', left($4::text, 1000)), 'A') || setweight(to_tsvector('english', left($6::text, 20000)), 'B'))`;
const INSERT_OUTBOX_SQL =
  'INSERT INTO outbox (id, type, tenant_id, payload, traceparent) VALUES ($1::uuid, $2, $3::uuid, $4::jsonb, $5)';

interface CreateBody {
  title?: unknown;
  description?: unknown;
  priority?: unknown;
  requester?: { email?: unknown; name?: unknown };
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.get('/readyz', async (_req, res) => {
  await pool.query('SELECT 1');
  res.json({ status: 'ok' });
});

app.post('/tickets', async (req, res) => {
  const body = (req.body ?? {}) as CreateBody;
  if (typeof body.title !== 'string' || body.title.length === 0) {
    res.status(400).json({ error: { code: 'INVALID_ARGUMENT', message: 'title is required' } });
    return;
  }
  const html = typeof body.description === 'string' ? body.description : '';
  const priority = typeof body.priority === 'string' ? body.priority : 'medium';
  const email =
    typeof body.requester?.email === 'string' ? body.requester.email.toLowerCase() : 'agent@baseline.example';
  const name = typeof body.requester?.name === 'string' ? body.requester.name : '';

  const bumped = await pool.query<{ number: number }>(BUMP_SQL, [tenantId, FIRST_TICKET_NUMBER + 1]);
  const now = new Date();
  const ticket = {
    id: randomUUID(),
    tenantId,
    number: bumped.rows[0]!.number,
    title: body.title,
    description: html,
    descriptionText: html.replace(/<[^>]*>/g, ''),
    status: 'open',
    priority,
    source: 'agent',
    raisedBy: email,
    requester: { email, name },
    createdBy: { type: 'user', id: userId },
    openedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const envelope = {
    id: randomUUID(),
    type: 'helpdesk.ticket.created',
    version: 1,
    tenantId,
    occurredAt: now.toISOString(),
    data: { ticket },
  };

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(INSERT_TICKET_SQL, [
      ticket.id,
      tenantId,
      ticket.number,
      ticket.title,
      ticket.description,
      ticket.descriptionText,
      priority,
      email,
      name,
      userId,
      now,
    ]);
    await client.query(INSERT_OUTBOX_SQL, [
      envelope.id,
      envelope.type,
      tenantId,
      JSON.stringify(envelope),
      null,
    ]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  res.status(201).json(ticket);
});

// Express 5 passes rejected promises here.
app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  console.error('baseline request failed:', err.message);
  res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
});

const server: Server = app.listen(port, host, () => console.error(`baseline listening on ${host}:${port}`));

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close(() => void pool.end().finally(() => process.exit(0)));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
