// `npm run bench:queries`: list, filter and full-text search latency with a million tickets in one tenant, through
// the gateway and, beside it, the same query as bare SQL on the same database. Prints figures and ratios; the
// goals (filtered list p95 ≤ 50 ms, full text p95 ≤ 300 ms) are printed for comparison, never asserted.
import { Pool } from 'pg';
import { Cleanup, startPlatform } from './platform';
import { machineLine } from './cpu';
import { loadTickets } from './ticket-seed';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 100);
const GOALS = { listP95: 50, searchP95: 300 };
const WATCHDOG_MS = 30 * 60_000;

const log = (line = ''): void => console.log(line);

interface Query {
  kind: 'list' | 'search';
  name: string;
  /** The REST query string. */
  rest: string;
  /** The same question as bare SQL (the statement the ticket service runs, without its layers). */
  sql: string;
  params: unknown[];
}

// every column but the search document, as the ticket service reads them
const COLUMNS = `id, tenant_id, number, title, description_html, description_text, status, priority, source, raised_by,
  requester_email, requester_name, created_by_type, created_by_id, opened_at, updated_at, version, type, category,
  client_id, contact_id, assignee_id, team_id, tags, cc, link_project, link_lead, template_id, first_responded_at,
  resolved_at, resolution_details, closed_at, last_customer_reply_at, last_agent_reply_at, merged_into_id,
  follow_up_of_id, sla, sla_state, sla_sequence, time_spent_minutes, time_sequence, rating_score, rating_comment,
  rated_at, dedupe_key`;

function queries(tenantId: string): Query[] {
  const agent = (i: number) => `md5('agent${i}')::uuid`;
  const client = (i: number) => `md5('client${i}')::uuid`;
  const list = (name: string, rest: string, where: string, order = 'opened_at DESC, id DESC'): Query => ({
    kind: 'list',
    name,
    rest,
    sql: `SELECT ${COLUMNS} FROM tickets WHERE tenant_id = $1 AND ${where} ORDER BY ${order} LIMIT 51`,
    params: [tenantId],
  });
  const search = (name: string, q: string, extraRest = '', extraWhere = ''): Query => ({
    kind: 'search',
    name,
    rest: `q=${encodeURIComponent(q)}${extraRest}`,
    sql: `SELECT ${COLUMNS}, ts_rank(search_vector, websearch_to_tsquery('english', $2)) AS rank FROM tickets
      WHERE tenant_id = $1 AND search_vector @@ websearch_to_tsquery('english', $2) ${extraWhere}
      ORDER BY rank DESC, id DESC LIMIT 51`,
    params: [tenantId, q],
  });
  return [
    list('all, newest first', '', 'TRUE'),
    list('status=open', 'status=open', "status = 'open'"),
    list(
      'status=open,in_progress & priority=critical',
      'status=open,in_progress&priority=critical',
      "status IN ('open','in_progress') AND priority = 'critical'",
    ),
    list('assigneeId=<agent>', `assigneeId=${'$agent'}`, `assignee_id = ${agent(7)}`),
    list(
      'assigneeId=none & status=open',
      'assigneeId=none&status=open',
      "assignee_id IS NULL AND status = 'open'",
    ),
    list(
      'clientId=<client> & status=open',
      `clientId=${'$client'}&status=open`,
      `client_id = ${client(40)} AND status = 'open'`,
    ),
    list(
      'category=Network & type=Problem',
      'category=Network&type=Problem',
      "lower(category) = 'network' AND lower(type) = 'problem'",
    ),
    list('tag=printer', 'tag=printer', "tags @> ARRAY['printer']"),
    list('sort=-priority', 'sort=-priority', 'TRUE', 'priority DESC, opened_at DESC, id DESC'),
    list(
      'sort=-updatedAt & status=waiting_on_customer',
      'sort=-updatedAt&status=waiting_on_customer',
      "status = 'waiting_on_customer'",
      'updated_at DESC, id DESC',
    ),
    search('one frequent word', 'printer'),
    search('one rare word', 'certificate restore'),
    search('two words', 'vpn router'),
    search('phrase', '"since this morning"'),
    search('word and exclusion', 'outlook -calendar'),
    search('word + status filter', 'backup', '&status=open', "AND status = 'open'"),
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(run: () => Promise<void>): Promise<{ p50: number; p95: number; p99: number }> {
  for (let i = 0; i < 5; i += 1) await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function main(cleanup: Cleanup): Promise<void> {
  log(`ticket list and search benchmark · ${machineLine()}`);
  log(
    `${TICKETS.toLocaleString('en')} tickets in one tenant, ${RUNS} runs per query after 5 warm-ups, one request at a time`,
  );
  const platform = await startPlatform(cleanup, log);
  const pool = new Pool({ connectionString: platform.ticketDatabaseUrl, max: 1 });
  cleanup.defer('close the benchmark pool', () => pool.end());
  log('loading…');
  await loadTickets(pool, platform.tenantId, TICKETS, log);

  // ids to filter by, as an agent would pick them from the data
  const agentId = (await pool.query<{ id: string }>(`SELECT md5('agent7')::uuid AS id`)).rows[0]!.id;
  const clientId = (await pool.query<{ id: string }>(`SELECT md5('client40')::uuid AS id`)).rows[0]!.id;
  const all = queries(platform.tenantId);

  log('');
  log(
    `${'query'.padEnd(48)} ${'gateway p50/p95/p99 ms'.padStart(24)} ${'bare SQL p50/p95/p99 ms'.padStart(24)}  p95 ratio  items`,
  );
  const worst = { list: 0, search: 0 };
  for (const q of all) {
    const rest = q.rest.replace('$agent', agentId).replace('$client', clientId);
    let items = 0;
    const gateway = await measure(async () => {
      const res = await fetch(`${platform.gatewayUrl}/api/v1/tickets?limit=50${rest ? `&${rest}` : ''}`, {
        headers: { authorization: `Bearer ${platform.token}` },
      });
      if (res.status !== 200) throw new Error(`${q.name}: ${res.status} ${await res.text()}`);
      items = ((await res.json()) as { items: unknown[] }).items.length;
    });
    const sql = await measure(async () => {
      await pool.query(q.sql, q.params);
    });
    worst[q.kind] = Math.max(worst[q.kind], gateway.p95);
    const f = (m: { p50: number; p95: number; p99: number }) =>
      `${m.p50.toFixed(1)}/${m.p95.toFixed(1)}/${m.p99.toFixed(1)}`.padStart(24);
    log(
      `${`${q.kind}: ${q.name}`.padEnd(48)} ${f(gateway)} ${f(sql)}  ${(gateway.p95 / sql.p95).toFixed(1).padStart(8)}×  ${String(items).padStart(5)}`,
    );
  }
  log('');
  log(
    `worst filtered-list p95 through the gateway: ${worst.list.toFixed(1)} ms (goal ≤ ${GOALS.listP95} ms: ${worst.list <= GOALS.listP95 ? 'met' : 'NOT met'})`,
  );
  log(
    `worst full-text p95 through the gateway:    ${worst.search.toFixed(1)} ms (goal ≤ ${GOALS.searchP95} ms: ${worst.search <= GOALS.searchP95 ? 'met' : 'NOT met'})`,
  );
}

const cleanup = new Cleanup(log);
const watchdog = setTimeout(() => {
  log('watchdog: the benchmark took too long; stopping');
  void cleanup.run().then(() => process.exit(2));
}, WATCHDOG_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup.run().then(() => process.exit(130)));
}
main(cleanup)
  .then(() => cleanup.run())
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    log(`benchmark failed: ${(err as Error).stack ?? String(err)}`);
    await cleanup.run();
    process.exit(1);
  });
