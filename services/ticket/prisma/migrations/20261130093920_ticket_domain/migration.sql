-- CreateEnum
CREATE TYPE "message_kind" AS ENUM ('email_in', 'email_out', 'public_reply', 'internal_note', 'system');

-- CreateEnum
CREATE TYPE "todo_state" AS ENUM ('open', 'done');

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "bounced_at" TIMESTAMPTZ(3),
ADD COLUMN     "email_bouncing" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "assignee_id" UUID,
ADD COLUMN     "category" VARCHAR(100),
ADD COLUMN     "cc" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "client_id" UUID,
ADD COLUMN     "closed_at" TIMESTAMPTZ(3),
ADD COLUMN     "contact_id" UUID,
ADD COLUMN     "dedupe_key" VARCHAR(300),
ADD COLUMN     "first_responded_at" TIMESTAMPTZ(3),
ADD COLUMN     "follow_up_of_id" UUID,
ADD COLUMN     "last_agent_reply_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_customer_reply_at" TIMESTAMPTZ(3),
ADD COLUMN     "link_lead" VARCHAR(500),
ADD COLUMN     "link_project" VARCHAR(500),
ADD COLUMN     "merged_into_id" UUID,
ADD COLUMN     "rated_at" TIMESTAMPTZ(3),
ADD COLUMN     "rating_comment" TEXT,
ADD COLUMN     "rating_score" SMALLINT,
ADD COLUMN     "resolution_details" TEXT,
ADD COLUMN     "resolved_at" TIMESTAMPTZ(3),
ADD COLUMN     "search_vector" tsvector,
ADD COLUMN     "sla" JSONB,
ADD COLUMN     "sla_sequence" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "sla_state" VARCHAR(20),
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "team_id" UUID,
ADD COLUMN     "template_id" UUID,
ADD COLUMN     "time_sequence" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "time_spent_minutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "type" VARCHAR(100);

-- CreateTable
CREATE TABLE "ticket_messages" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "kind" "message_kind" NOT NULL,
    "author_type" "actor_type" NOT NULL,
    "author_id" TEXT,
    "body_html" TEXT NOT NULL,
    "body_text" TEXT NOT NULL,
    "mentions" UUID[] DEFAULT ARRAY[]::UUID[],
    "email_message_id" VARCHAR(998),
    "email_in_reply_to" VARCHAR(998),
    "email_references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "email_from" VARCHAR(998),
    "email_to" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "email_cc" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "email_subject" TEXT,
    "mailbox_id" UUID,
    "raw_ref" VARCHAR(300),
    "threading_rule" VARCHAR(40),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "dedupe_key" VARCHAR(300),

    CONSTRAINT "ticket_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "ticket_id" UUID,
    "message_id" UUID,
    "filename" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(255) NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "content_id" VARCHAR(998),
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "storage_key" VARCHAR(300) NOT NULL,
    "uploaded_by_type" "actor_type" NOT NULL,
    "uploaded_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_history" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "actor_type" "actor_type" NOT NULL,
    "actor_id" TEXT,
    "cause" VARCHAR(40) NOT NULL,
    "changes" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "todos" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "state" "todo_state" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "todos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "sort_name" VARCHAR(200) NOT NULL,
    "title" VARCHAR(300) NOT NULL DEFAULT '',
    "description_html" TEXT NOT NULL DEFAULT '',
    "description_text" TEXT NOT NULL DEFAULT '',
    "type" VARCHAR(100),
    "category" VARCHAR(100),
    "priority" "ticket_priority",
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ticket_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_settings" (
    "tenant_id" UUID NOT NULL,
    "types" TEXT[],
    "categories" TEXT[],
    "closed_reply_policy" JSONB NOT NULL,
    "attachment_max_bytes" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ticket_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "user_views" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "handle" VARCHAR(100) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "role" VARCHAR(20) NOT NULL,

    CONSTRAINT "user_views_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portal_login_tokens" (
    "token_hash" CHAR(64) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "portal_login_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "ticket_messages_tenant_ticket_seq_idx" ON "ticket_messages"("tenant_id", "ticket_id", "seq");

-- CreateIndex
CREATE INDEX "ticket_messages_tenant_email_message_id_idx" ON "ticket_messages"("tenant_id", "email_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_messages_tenant_id_dedupe_key_key" ON "ticket_messages"("tenant_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "attachments_tenant_message_idx" ON "attachments"("tenant_id", "message_id");

-- CreateIndex
CREATE INDEX "attachments_tenant_ticket_idx" ON "attachments"("tenant_id", "ticket_id");

-- CreateIndex
CREATE INDEX "ticket_history_tenant_ticket_seq_idx" ON "ticket_history"("tenant_id", "ticket_id", "seq");

-- CreateIndex
CREATE INDEX "todos_tenant_user_state_idx" ON "todos"("tenant_id", "user_id", "state", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "todos_tenant_ticket_state_idx" ON "todos"("tenant_id", "ticket_id", "state");

-- CreateIndex
CREATE INDEX "ticket_templates_tenant_sort_name_id_idx" ON "ticket_templates"("tenant_id", "sort_name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_templates_tenant_sort_name_key" ON "ticket_templates"("tenant_id", "sort_name");

-- CreateIndex
CREATE INDEX "user_views_tenant_handle_idx" ON "user_views"("tenant_id", "handle");

-- CreateIndex
CREATE INDEX "portal_login_tokens_expires_idx" ON "portal_login_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "tickets_tenant_status_opened_idx" ON "tickets"("tenant_id", "status", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_assignee_opened_idx" ON "tickets"("tenant_id", "assignee_id", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_client_opened_idx" ON "tickets"("tenant_id", "client_id", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_team_opened_idx" ON "tickets"("tenant_id", "team_id", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_contact_opened_idx" ON "tickets"("tenant_id", "contact_id", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_sla_state_opened_idx" ON "tickets"("tenant_id", "sla_state", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_updated_idx" ON "tickets"("tenant_id", "updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tenant_priority_opened_idx" ON "tickets"("tenant_id", "priority", "opened_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tickets_tags_idx" ON "tickets" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "tickets_search_vector_idx" ON "tickets" USING GIN ("search_vector");

-- CreateIndex
CREATE UNIQUE INDEX "tickets_tenant_id_dedupe_key_key" ON "tickets"("tenant_id", "dedupe_key");
