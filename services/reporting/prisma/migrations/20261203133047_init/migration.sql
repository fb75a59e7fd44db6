-- CreateTable
CREATE TABLE "tenants" (
    "tenant_id" UUID NOT NULL,
    "timezone" VARCHAR(64) NOT NULL DEFAULT 'UTC',
    "as_of" TIMESTAMPTZ(3),
    "event_id" UUID,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "tickets" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "number" BIGINT NOT NULL DEFAULT 0,
    "status" VARCHAR(40) NOT NULL DEFAULT '',
    "priority" VARCHAR(20) NOT NULL DEFAULT '',
    "client_id" UUID,
    "assignee_id" UUID,
    "team_id" UUID,
    "opened_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3),
    "first_responded_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "merged_into_id" UUID,
    "rating_score" SMALLINT,
    "rated_at" TIMESTAMPTZ(3),
    "first_response_minutes" INTEGER,
    "sla_sequence" BIGINT NOT NULL DEFAULT 0,
    "sla_policy_id" UUID,
    "fr_state" VARCHAR(20),
    "res_state" VARCHAR(20),
    "fr_business_minutes" INTEGER,
    "fr_business_sequence" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "ticket_versions" (
    "tenant_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "open" BOOLEAN NOT NULL,
    "client_id" UUID,

    CONSTRAINT "ticket_versions_pkey" PRIMARY KEY ("tenant_id","ticket_id","version")
);

-- CreateTable
CREATE TABLE "backlog_days" (
    "tenant_id" UUID NOT NULL,
    "client_key" UUID NOT NULL,
    "day" DATE NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "backlog_days_pkey" PRIMARY KEY ("tenant_id","client_key","day")
);

-- CreateTable
CREATE TABLE "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "tickets_tenant_opened_idx" ON "tickets"("tenant_id", "opened_at");

-- CreateIndex
CREATE INDEX "tickets_tenant_resolved_idx" ON "tickets"("tenant_id", "resolved_at");

-- CreateIndex
CREATE INDEX "tickets_tenant_status_client_idx" ON "tickets"("tenant_id", "status", "client_id");

-- CreateIndex
CREATE INDEX "backlog_days_tenant_day_idx" ON "backlog_days"("tenant_id", "day");
