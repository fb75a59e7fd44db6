-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "zone_at" TIMESTAMPTZ(3);
