-- CreateTable
CREATE TABLE "mailboxes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "address" VARCHAR(320) NOT NULL,
    "imap_host" VARCHAR(253),
    "imap_port" INTEGER,
    "imap_tls" VARCHAR(10),
    "imap_user" VARCHAR(320),
    "imap_auth" VARCHAR(10),
    "imap_secret" BYTEA,
    "imap_folder" VARCHAR(300),
    "imap_processed_folder" VARCHAR(300),
    "smtp_host" VARCHAR(253) NOT NULL,
    "smtp_port" INTEGER NOT NULL,
    "smtp_tls" VARCHAR(10) NOT NULL,
    "smtp_user" VARCHAR(320),
    "smtp_secret" BYTEA,
    "poll_interval_seconds" INTEGER NOT NULL,
    "intake_token_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "uid_validity" BIGINT NOT NULL DEFAULT 0,
    "last_uid" BIGINT NOT NULL DEFAULT 0,
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_error" TEXT,

    CONSTRAINT "mailboxes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mailbox_leases" (
    "mailbox_id" UUID NOT NULL,
    "owner" VARCHAR(100) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_leases_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateTable
CREATE TABLE "inbound_mails" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "mailbox_id" UUID NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "dedupe_key" VARCHAR(1100) NOT NULL,
    "imap_uid_validity" BIGINT,
    "imap_uid" BIGINT,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "message_id" VARCHAR(1000),
    "subject" VARCHAR(1000) NOT NULL DEFAULT '',
    "from_address" VARCHAR(320) NOT NULL DEFAULT '',
    "status" VARCHAR(20) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "outcome" VARCHAR(30),
    "threading_rule" VARCHAR(40),
    "ticket_id" UUID,
    "ticket_message_id" UUID,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "notes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbound_mails_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_mails" (
    "inbound_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "raw_mails_pkey" PRIMARY KEY ("inbound_id")
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
CREATE INDEX "mailboxes_tenant_id_name_id_idx" ON "mailboxes"("tenant_id", "name", "id");

-- CreateIndex
CREATE INDEX "inbound_mails_mailbox_id_uid_idx" ON "inbound_mails"("mailbox_id", "imap_uid_validity", "imap_uid");

-- CreateIndex
CREATE INDEX "inbound_mails_status_next_attempt_at_idx" ON "inbound_mails"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "inbound_mails_tenant_id_status_received_at_idx" ON "inbound_mails"("tenant_id", "status", "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "inbound_mails_mailbox_id_dedupe_key_key" ON "inbound_mails"("mailbox_id", "dedupe_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "raw_mails" ADD CONSTRAINT "raw_mails_inbound_id_fkey" FOREIGN KEY ("inbound_id") REFERENCES "inbound_mails"("id") ON DELETE CASCADE ON UPDATE CASCADE;
