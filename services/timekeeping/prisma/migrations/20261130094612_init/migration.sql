-- CreateEnum
CREATE TYPE "entry_source" AS ENUM ('timer', 'manual');

-- CreateEnum
CREATE TYPE "rounding_mode" AS ENUM ('up', 'nearest', 'down');

-- CreateTable
CREATE TABLE "tickets" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "client_id" UUID,
    "version" INTEGER NOT NULL,
    "time_sequence" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "time_entries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "billable" BOOLEAN NOT NULL,
    "work_type" VARCHAR(100),
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "flag_reason" VARCHAR(100),
    "source" "entry_source" NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "time_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "running_timers" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "billable" BOOLEAN NOT NULL,
    "work_type" VARCHAR(100),

    CONSTRAINT "running_timers_pkey" PRIMARY KEY ("tenant_id","user_id")
);

-- CreateTable
CREATE TABLE "time_settings" (
    "tenant_id" UUID NOT NULL,
    "rounding_minutes" INTEGER NOT NULL DEFAULT 0,
    "rounding_mode" "rounding_mode" NOT NULL DEFAULT 'up',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "time_settings_pkey" PRIMARY KEY ("tenant_id")
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
CREATE INDEX "tickets_tenant_id_client_id_idx" ON "tickets"("tenant_id", "client_id");

-- CreateIndex
CREATE INDEX "time_entries_tenant_id_started_at_id_idx" ON "time_entries"("tenant_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "time_entries_tenant_id_ticket_id_started_at_id_idx" ON "time_entries"("tenant_id", "ticket_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "time_entries_tenant_id_user_id_started_at_id_idx" ON "time_entries"("tenant_id", "user_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "running_timers_id_key" ON "running_timers"("id");

-- CreateIndex
CREATE INDEX "running_timers_tenant_id_ticket_id_idx" ON "running_timers"("tenant_id", "ticket_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_tenant_id_ticket_id_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "running_timers" ADD CONSTRAINT "running_timers_tenant_id_ticket_id_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
