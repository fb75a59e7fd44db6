-- CreateTable
CREATE TABLE "report_open" (
    "tenant_id" UUID NOT NULL,
    "client_key" UUID NOT NULL,
    "status" VARCHAR(40) NOT NULL,
    "priority" VARCHAR(20) NOT NULL,
    "tickets" INTEGER NOT NULL,

    CONSTRAINT "report_open_pkey" PRIMARY KEY ("tenant_id","client_key","status","priority")
);

-- CreateTable
CREATE TABLE "report_days" (
    "tenant_id" UUID NOT NULL,
    "client_key" UUID NOT NULL,
    "unit" VARCHAR(5) NOT NULL,
    "day" DATE NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "fr_met" INTEGER NOT NULL DEFAULT 0,
    "fr_breached" INTEGER NOT NULL DEFAULT 0,
    "res_met" INTEGER NOT NULL DEFAULT 0,
    "res_breached" INTEGER NOT NULL DEFAULT 0,
    "rated" INTEGER NOT NULL DEFAULT 0,
    "rating_sum" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_days_pkey" PRIMARY KEY ("tenant_id","client_key","unit","day")
);

-- CreateTable
CREATE TABLE "report_first_responses" (
    "tenant_id" UUID NOT NULL,
    "client_key" UUID NOT NULL,
    "unit" VARCHAR(5) NOT NULL,
    "day" DATE NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "minutes" INTEGER NOT NULL,
    "tickets" INTEGER NOT NULL,

    CONSTRAINT "report_first_responses_pkey" PRIMARY KEY ("tenant_id","client_key","unit","day","kind","minutes")
);
