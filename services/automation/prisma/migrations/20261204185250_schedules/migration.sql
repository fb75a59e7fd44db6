-- CreateTable
CREATE TABLE "schedules" (
    "rule_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "rrule" VARCHAR(500) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "anchor_at" TIMESTAMPTZ(3) NOT NULL,
    "next_at" TIMESTAMPTZ(3),

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("rule_id")
);

-- CreateIndex
CREATE INDEX "schedules_next_at_idx" ON "schedules"("next_at");
