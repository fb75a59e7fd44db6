-- CreateTable
CREATE TABLE "rules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "position" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL,
    "stop_processing" BOOLEAN NOT NULL,
    "trigger_type" VARCHAR(20) NOT NULL,
    "trigger" JSONB NOT NULL,
    "conditions" JSONB NOT NULL,
    "actions" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "seed_key" VARCHAR(60),
    "fired_count" BIGINT NOT NULL DEFAULT 0,
    "skipped_count" BIGINT NOT NULL DEFAULT 0,
    "last_fired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_versions" (
    "rule_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "tenant_id" UUID NOT NULL,
    "definition" JSONB NOT NULL,
    "actor_type" VARCHAR(20) NOT NULL,
    "actor_id" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rule_versions_pkey" PRIMARY KEY ("rule_id","version")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "rule_version" INTEGER NOT NULL,
    "ticket_id" UUID,
    "trigger_type" VARCHAR(20) NOT NULL,
    "event_id" VARCHAR(200) NOT NULL,
    "outcome" VARCHAR(10) NOT NULL,
    "reason" VARCHAR(40),
    "planned" JSONB NOT NULL DEFAULT '[]',
    "results" JSONB NOT NULL DEFAULT '[]',
    "origin_id" VARCHAR(200) NOT NULL,
    "depth" INTEGER NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_firings" (
    "rule_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "origin_id" VARCHAR(200) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rule_firings_pkey" PRIMARY KEY ("rule_id","ticket_id","origin_id")
);

-- CreateTable
CREATE TABLE "round_robins" (
    "tenant_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "last_user_id" UUID NOT NULL,

    CONSTRAINT "round_robins_pkey" PRIMARY KEY ("tenant_id","team_id")
);

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "seeded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "rules_tenant_id_trigger_type_position_idx" ON "rules"("tenant_id", "trigger_type", "position");

-- CreateIndex
CREATE UNIQUE INDEX "rules_tenant_id_seed_key_key" ON "rules"("tenant_id", "seed_key");

-- CreateIndex
CREATE UNIQUE INDEX "runs_seq_key" ON "runs"("seq");

-- CreateIndex
CREATE INDEX "runs_tenant_id_at_id_idx" ON "runs"("tenant_id", "at" DESC, "id");

-- CreateIndex
CREATE INDEX "runs_tenant_id_rule_id_at_id_idx" ON "runs"("tenant_id", "rule_id", "at" DESC, "id");

-- CreateIndex
CREATE INDEX "runs_tenant_id_ticket_id_at_id_idx" ON "runs"("tenant_id", "ticket_id", "at" DESC, "id");

-- CreateIndex
CREATE INDEX "runs_state_lease_until_idx" ON "runs"("state", "lease_until");

-- CreateIndex
CREATE INDEX "runs_at_idx" ON "runs"("at");

-- CreateIndex
CREATE INDEX "rule_firings_at_idx" ON "rule_firings"("at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
