-- Fills the aggregates (20261204231454_aggregates) and the backlog's tenant totals (client key all ones) from the
-- rows a read model built before them already holds, counted as the service counts them
-- (src/domain/aggregates.ts): the reports read the same numbers afterwards. Days are those of the tenant's zone as
-- PostgreSQL's zone data has them (the service reads its runtime's copy of the same IANA data); a zone PostgreSQL
-- does not know counts as UTC, as the service counts a zone it does not know. A rebuild
-- (`npm run -w services/reporting rebuild`) counts everything again with the service's own code.

-- the backlog's totals: the sum of the clients' changes of each day
INSERT INTO "backlog_days" ("tenant_id", "client_key", "day", "delta")
SELECT "tenant_id", 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid, "day", sum("delta")::int
  FROM "backlog_days"
 WHERE "client_key" <> 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid
 GROUP BY "tenant_id", "day"
HAVING sum("delta") <> 0
ON CONFLICT DO NOTHING;

-- tickets open now, per client and for the tenant
INSERT INTO "report_open" ("tenant_id", "client_key", "status", "priority", "tickets")
SELECT t."tenant_id", k."key", t."status", t."priority", count(*)::int
  FROM "tickets" t
 CROSS JOIN LATERAL (VALUES (COALESCE(t."client_id", '00000000-0000-0000-0000-000000000000'::uuid)),
                            ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) AS k("key")
 WHERE t."version" > 0 AND t."opened_at" IS NOT NULL AND t."status" NOT IN ('resolved', 'closed')
 GROUP BY 1, 2, 3, 4;

-- per day and month: the tickets opened then with their SLA states and ratings, and the current resolutions
WITH "zones" AS (
  SELECT "tenant_id",
         CASE WHEN "timezone" IN (SELECT "name" FROM pg_timezone_names) THEN "timezone" ELSE 'UTC' END AS "zone"
    FROM "tenants"
), "counted" AS (
  SELECT t.*, COALESCE(z."zone", 'UTC') AS "zone"
    FROM "tickets" t LEFT JOIN "zones" z USING ("tenant_id")
   WHERE t."version" > 0 AND t."opened_at" IS NOT NULL
), "contributions" AS (
  SELECT "tenant_id", "client_id", ("opened_at" AT TIME ZONE "zone")::date AS "day", 1 AS "created", 0 AS "resolved",
         CASE WHEN "fr_state" = 'met' THEN 1 ELSE 0 END AS "fr_met",
         CASE WHEN "fr_state" = 'breached' THEN 1 ELSE 0 END AS "fr_breached",
         CASE WHEN "res_state" = 'met' THEN 1 ELSE 0 END AS "res_met",
         CASE WHEN "res_state" = 'breached' THEN 1 ELSE 0 END AS "res_breached",
         CASE WHEN "rating_score" IS NULL THEN 0 ELSE 1 END AS "rated",
         COALESCE("rating_score", 0) AS "rating_sum"
    FROM "counted"
  UNION ALL
  SELECT "tenant_id", "client_id", ("resolved_at" AT TIME ZONE "zone")::date, 0, 1, 0, 0, 0, 0, 0, 0
    FROM "counted"
   WHERE "resolved_at" IS NOT NULL AND "status" IN ('resolved', 'closed')
)
INSERT INTO "report_days" ("tenant_id", "client_key", "unit", "day", "created", "resolved", "fr_met", "fr_breached",
  "res_met", "res_breached", "rated", "rating_sum")
SELECT c."tenant_id", k."key", u."unit",
       CASE u."unit" WHEN 'day' THEN c."day" ELSE date_trunc('month', c."day")::date END,
       sum(c."created")::int, sum(c."resolved")::int, sum(c."fr_met")::int, sum(c."fr_breached")::int,
       sum(c."res_met")::int, sum(c."res_breached")::int, sum(c."rated")::int, sum(c."rating_sum")::int
  FROM "contributions" c
 CROSS JOIN LATERAL (VALUES (COALESCE(c."client_id", '00000000-0000-0000-0000-000000000000'::uuid)),
                            ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) AS k("key")
 CROSS JOIN (VALUES ('day'), ('month')) AS u("unit")
 GROUP BY 1, 2, 3, 4;

-- the first-response histograms of the tickets opened on each day and month
WITH "zones" AS (
  SELECT "tenant_id",
         CASE WHEN "timezone" IN (SELECT "name" FROM pg_timezone_names) THEN "timezone" ELSE 'UTC' END AS "zone"
    FROM "tenants"
), "counted" AS (
  SELECT t.*, (t."opened_at" AT TIME ZONE COALESCE(z."zone", 'UTC'))::date AS "day"
    FROM "tickets" t LEFT JOIN "zones" z USING ("tenant_id")
   WHERE t."version" > 0 AND t."opened_at" IS NOT NULL
), "values" AS (
  SELECT "tenant_id", "client_id", "day", 'calendar' AS "kind", "first_response_minutes" AS "minutes"
    FROM "counted" WHERE "first_response_minutes" IS NOT NULL
  UNION ALL
  SELECT "tenant_id", "client_id", "day", 'business', "fr_business_minutes"
    FROM "counted" WHERE "first_responded_at" IS NOT NULL AND "fr_business_minutes" IS NOT NULL
)
INSERT INTO "report_first_responses" ("tenant_id", "client_key", "unit", "day", "kind", "minutes", "tickets")
SELECT v."tenant_id", k."key", u."unit",
       CASE u."unit" WHEN 'day' THEN v."day" ELSE date_trunc('month', v."day")::date END,
       v."kind", v."minutes", count(*)::int
  FROM "values" v
 CROSS JOIN LATERAL (VALUES (COALESCE(v."client_id", '00000000-0000-0000-0000-000000000000'::uuid)),
                            ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)) AS k("key")
 CROSS JOIN (VALUES ('day'), ('month')) AS u("unit")
 GROUP BY 1, 2, 3, 4, 5, 6;
