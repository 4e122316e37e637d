-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "threadKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "bundleKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "deliveryAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sendStartedAt" TIMESTAMP(3),
ADD COLUMN     "senderId" TEXT,
ADD COLUMN     "sentAt" TIMESTAMP(3),
ADD COLUMN     "threadKey" TEXT NOT NULL DEFAULT '',
ALTER COLUMN "contactId" DROP NOT NULL,
ALTER COLUMN "conversationKey" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "Task_integrationId_threadKey_status_idx" ON "Task"("integrationId", "threadKey", "status");

-- CreateIndex
CREATE INDEX "Message_integrationId_senderId_contactId_idx" ON "Message"("integrationId", "senderId", "contactId");
