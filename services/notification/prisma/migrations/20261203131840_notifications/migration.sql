-- CreateTable
CREATE TABLE "notify_users" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "handle" VARCHAR(100) NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notify_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notify_tickets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "number" BIGINT NOT NULL,
    "title" VARCHAR(1000) NOT NULL,
    "assignee_id" UUID,
    "team_id" UUID,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notify_tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "ticket_id" UUID,
    "ticket_number" BIGINT,
    "title" VARCHAR(1000) NOT NULL,
    "body" TEXT NOT NULL,
    "actor_type" VARCHAR(20) NOT NULL,
    "actor_id" VARCHAR(100) NOT NULL,
    "actor_name" VARCHAR(200) NOT NULL,
    "source_event_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "in_app" JSONB NOT NULL DEFAULT '{}',
    "email" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("tenant_id","user_id")
);

-- CreateTable
CREATE TABLE "agent_mail_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "batch_key" UUID NOT NULL,
    "ticket_id" UUID,
    "ticket_number" BIGINT,
    "type" VARCHAR(40) NOT NULL,
    "title" VARCHAR(1000) NOT NULL,
    "body" TEXT NOT NULL,
    "actor_name" VARCHAR(200) NOT NULL,
    "source_event_id" UUID NOT NULL,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "outbound_id" UUID,
    "mailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "agent_mail_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notify_users_tenant_id_role_idx" ON "notify_users"("tenant_id", "role");

-- CreateIndex
CREATE INDEX "notifications_feed_idx" ON "notifications"("tenant_id", "user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_source_unique" ON "notifications"("tenant_id", "source_event_id", "user_id", "type");

-- CreateIndex
CREATE INDEX "agent_mail_items_pending_idx" ON "agent_mail_items"("mailed_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "agent_mail_items_source_unique" ON "agent_mail_items"("tenant_id", "source_event_id", "user_id", "type");
