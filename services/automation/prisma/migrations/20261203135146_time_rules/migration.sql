-- CreateTable
CREATE TABLE "timers" (
    "rule_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "since_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3),

    CONSTRAINT "timers_pkey" PRIMARY KEY ("rule_id","ticket_id")
);

-- CreateTable
CREATE TABLE "ticket_states" (
    "ticket_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status_entered_at" TIMESTAMPTZ(3) NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_states_pkey" PRIMARY KEY ("ticket_id")
);

-- CreateIndex
CREATE INDEX "timers_due_at_idx" ON "timers"("due_at");
