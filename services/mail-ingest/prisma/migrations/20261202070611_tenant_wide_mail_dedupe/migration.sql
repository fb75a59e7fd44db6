-- AlterTable
ALTER TABLE "inbound_mails" ADD COLUMN     "duplicate_of_id" UUID,
ADD COLUMN     "tenant_key" VARCHAR(1100);

-- Backfill (by hand): the tenant's first mail with each dedupe key holds it; copies that other mailboxes took
-- before this migration keep what they became and stay out of the index (NULL)
UPDATE "inbound_mails" AS m SET "tenant_key" = m."dedupe_key"
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "tenant_id", "dedupe_key" ORDER BY "received_at", "id") AS rn
  FROM "inbound_mails"
) AS f
WHERE f."id" = m."id" AND f.rn = 1;

-- CreateIndex
CREATE UNIQUE INDEX "inbound_mails_tenant_id_tenant_key_key" ON "inbound_mails"("tenant_id", "tenant_key");

-- AddForeignKey
ALTER TABLE "inbound_mails" ADD CONSTRAINT "inbound_mails_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "inbound_mails"("id") ON DELETE SET NULL ON UPDATE CASCADE;
