// Tickets loaded straight into a ticket database for the benchmarks that need many (bench:queries, bench:web).
import type { Pool } from 'pg';

const BATCH = 100_000;

const WORDS = (
  'printer scanner laptop monitor keyboard mouse docking station vpn firewall router switch wifi outlook mailbox ' +
  'calendar teams sharepoint onedrive password account licence backup restore server database disk memory update ' +
  'patch antivirus phishing invoice quote onboarding offboarding phone headset camera projector toner paper jam ' +
  'slow crash error freeze login certificate domain dns dhcp cable'
).split(' ');
const FILLER =
  'the customer reports that since this morning the device does not work as expected please help soon'.split(
    ' ',
  );

/**
 * `count` tickets straight into the ticket database of one tenant, shaped like an MSP's: statuses, priorities,
 * owners, clients, words (deterministic: every run loads the same data), then `VACUUM ANALYZE`.
 */
export async function loadTickets(
  pool: Pool,
  tenantId: string,
  count: number,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  await pool.query(`CREATE TEMP TABLE words (i int, w text)`);
  await pool.query(`INSERT INTO words SELECT i - 1, w FROM unnest($1::text[]) WITH ORDINALITY AS t(w, i)`, [
    WORDS,
  ]);
  const n = WORDS.length;
  for (let from = 0; from < count; from += BATCH) {
    const to = Math.min(count, from + BATCH);
    // deterministic pseudo-random spreads (hash of the row number), so every run loads the same data
    await pool.query(
      `INSERT INTO tickets (id, tenant_id, number, title, description_html, description_text, status, priority, source,
         raised_by, requester_email, requester_name, created_by_type, opened_at, updated_at, version, type, category,
         client_id, contact_id, assignee_id, team_id, tags, search_vector)
       SELECT gen_random_uuid(), $1::uuid, 1001 + g, t.title, '<p>' || t.body || '</p>', t.body,
         (ARRAY['open','open','in_progress','waiting_on_customer','waiting_on_third_party','resolved','closed','closed','closed','closed'])[1 + h % 10]::ticket_status,
         (ARRAY['low','medium','medium','medium','high','high','critical'])[1 + (h / 10) % 7]::ticket_priority,
         'email', 'user' || (h % 5000) || '@client' || (h % 200) || '.example', 'user' || (h % 5000) || '@client' || (h % 200) || '.example',
         'User', 'system', now() - make_interval(secs => (${count} - g) * 30), now() - make_interval(secs => (${count} - g) * 15), 1,
         (ARRAY['Incident','Service Request','Problem','Question'])[1 + (h / 70) % 4],
         (ARRAY['Hardware','Software','Network','Account','Other'])[1 + (h / 280) % 5],
         md5('client' || (h % 200))::uuid, md5('contact' || (h % 5000))::uuid,
         CASE WHEN h % 4 = 0 THEN NULL ELSE md5('agent' || (h % 40))::uuid END,
         md5('team' || (h % 10))::uuid,
         ARRAY[(SELECT w FROM words WHERE i = (h / 3) % ${n}), 'site-' || (h % 12)],
         setweight(to_tsvector('english', t.title), 'A') || setweight(to_tsvector('english', t.body), 'B')
       FROM generate_series($2::int, $3::int - 1) AS g,
         LATERAL (SELECT abs(hashtext(g::text)) AS h) AS x,
         LATERAL (SELECT
           initcap((SELECT w FROM words WHERE i = h % ${n})) || ' ' || (SELECT w FROM words WHERE i = (h / 7) % ${n}) || ' ' ||
             (SELECT w FROM words WHERE i = (h / 49) % ${n}) AS title,
           array_to_string(ARRAY(SELECT (ARRAY[${FILLER.map((f) => `'${f}'`).join(',')}])[1 + (h / k) % ${FILLER.length}]
             FROM generate_series(1, 25) AS k), ' ') || ' ' || (SELECT w FROM words WHERE i = (h / 343) % ${n}) AS body) AS t`,
      [tenantId, from, to],
    );
    log(`  loaded ${to.toLocaleString('en')} tickets (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await pool.query(
    `INSERT INTO ticket_counter (tenant_id, next_number) VALUES ($1, $2)
    ON CONFLICT (tenant_id) DO UPDATE SET next_number = EXCLUDED.next_number`,
    [tenantId, 1001 + count],
  );
  await pool.query('VACUUM ANALYZE tickets');
  log(`  vacuumed and analyzed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
