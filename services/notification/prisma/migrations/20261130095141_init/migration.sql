-- CreateTable
CREATE TABLE "outbound_mails" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "dedupe_key" VARCHAR(300) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "reason" TEXT,
    "ticket_id" UUID,
    "mailbox_id" UUID,
    "to_addresses" TEXT[],
    "cc_addresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subject" VARCHAR(1000) NOT NULL,
    "body_text" TEXT NOT NULL,
    "body_html" TEXT,
    "message_id" VARCHAR(300) NOT NULL,
    "in_reply_to" VARCHAR(1000),
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "automatic" BOOLEAN NOT NULL,
    "traceparent" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "recorded_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbound_mails_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auto_reply_log" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "recipient" VARCHAR(320) NOT NULL,
    "ticket_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auto_reply_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_mail_threads" (
    "ticket_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "mailbox_id" UUID,
    "message_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_mail_threads_pkey" PRIMARY KEY ("ticket_id")
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
CREATE UNIQUE INDEX "outbound_mails_dedupe_key_key" ON "outbound_mails"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbound_mails_status_next_attempt_at_idx" ON "outbound_mails"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "auto_reply_log_tenant_id_recipient_at_idx" ON "auto_reply_log"("tenant_id", "recipient", "at");

-- CreateIndex
CREATE INDEX "auto_reply_log_tenant_id_ticket_id_at_idx" ON "auto_reply_log"("tenant_id", "ticket_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");
