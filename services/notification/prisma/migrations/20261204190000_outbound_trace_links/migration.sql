-- The traceparents of the changes an agent notification mail batches: its send span links to each of them.
ALTER TABLE "outbound_mails" ADD COLUMN "trace_links" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
