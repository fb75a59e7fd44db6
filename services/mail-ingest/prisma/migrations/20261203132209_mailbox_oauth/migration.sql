-- CreateTable
CREATE TABLE "mailbox_oauth" (
    "mailbox_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "issuer" VARCHAR(500),
    "client_id" VARCHAR(500),
    "client_secret" BYTEA,
    "scopes" VARCHAR(1000) NOT NULL,
    "status" VARCHAR(30) NOT NULL,
    "status_reason" VARCHAR(1000),
    "access_token" BYTEA NOT NULL,
    "access_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "refresh_token" BYTEA,
    "connected_at" TIMESTAMPTZ(3) NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_oauth_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateTable
CREATE TABLE "oauth_flows" (
    "state_hash" CHAR(64) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "mailbox_id" UUID NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "issuer" VARCHAR(500),
    "client_id" VARCHAR(500),
    "client_secret" BYTEA,
    "scopes" VARCHAR(1000) NOT NULL,
    "code_verifier" BYTEA NOT NULL,
    "redirect_uri" VARCHAR(1000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oauth_flows_pkey" PRIMARY KEY ("state_hash")
);

-- CreateIndex
CREATE INDEX "mailbox_oauth_tenant_id_idx" ON "mailbox_oauth"("tenant_id");

-- CreateIndex
CREATE INDEX "oauth_flows_expires_at_idx" ON "oauth_flows"("expires_at");

-- AddForeignKey
ALTER TABLE "mailbox_oauth" ADD CONSTRAINT "mailbox_oauth_mailbox_id_fkey" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
