-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "cursorFence" INTEGER NOT NULL DEFAULT 0;
