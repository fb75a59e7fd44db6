-- sort=priority and sort=-priority read one index (forwards or backwards): all its columns ascending
-- DropIndex
DROP INDEX "tickets_tenant_priority_opened_idx";

-- CreateIndex
CREATE INDEX "tickets_tenant_priority_opened_idx" ON "tickets"("tenant_id", "priority", "opened_at", "id");

-- The list filters compare lower(category) and lower(type). Without statistics on those expressions the
-- planner guesses each matches 0.5 % of the rows (0.0025 % together), and at a million tickets it reads the
-- whole table and sorts instead of walking the (tenant_id, opened_at) index: 0.5 s instead of 1 ms.
-- ANALYZE (autovacuum) fills them in. Prisma's schema does not describe statistics objects: this lives here only.
CREATE STATISTICS IF NOT EXISTS "tickets_lower_category_type_stats" ON lower("category"), lower("type") FROM "tickets";
