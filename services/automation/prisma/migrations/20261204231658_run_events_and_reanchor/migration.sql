-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "ticket_number" INTEGER;

-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "last_occurrence_at" TIMESTAMPTZ(3);

-- The latest occurrence each schedule fired, from the run log (runs are kept 30 days): `schedule:<rule uuid>:<ISO>`
UPDATE "schedules" s SET "last_occurrence_at" = r.last
FROM (
  SELECT "rule_id", max(substring("event_id" from 47)::timestamptz) AS last
  FROM "runs" WHERE "trigger_type" = 'schedule' AND "event_id" LIKE 'schedule:%'
  GROUP BY "rule_id"
) r
WHERE s."rule_id" = r."rule_id";
