-- CreateEnum
CREATE TYPE "portal_access" AS ENUM ('none', 'own', 'client');

-- CreateTable
CREATE TABLE "clients" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "sort_name" VARCHAR(200) NOT NULL,
    "domains" TEXT[],
    "sla_policy_id" UUID,
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_domains" (
    "tenant_id" UUID NOT NULL,
    "domain" VARCHAR(253) NOT NULL,
    "client_id" UUID NOT NULL,

    CONSTRAINT "client_domains_pkey" PRIMARY KEY ("tenant_id","domain")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "sort_name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "phone" VARCHAR(50),
    "client_id" UUID,
    "portal_access" "portal_access" NOT NULL DEFAULT 'none',
    "portal_password_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "clients_tenant_id_sort_name_id_idx" ON "clients"("tenant_id", "sort_name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "clients_tenant_id_id_key" ON "clients"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "client_domains_tenant_id_client_id_idx" ON "client_domains"("tenant_id", "client_id");

-- CreateIndex
CREATE INDEX "contacts_tenant_id_sort_name_id_idx" ON "contacts"("tenant_id", "sort_name", "id");

-- CreateIndex
CREATE INDEX "contacts_tenant_id_client_id_sort_name_id_idx" ON "contacts"("tenant_id", "client_id", "sort_name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_tenant_id_email_key" ON "contacts"("tenant_id", "email");

-- AddForeignKey
ALTER TABLE "client_domains" ADD CONSTRAINT "client_domains_tenant_id_client_id_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_client_id_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
