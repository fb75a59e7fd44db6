-- AlterTable
ALTER TABLE "outbound_mails" ADD COLUMN     "attachments" JSONB NOT NULL DEFAULT '[]';
