-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "routingToken" TEXT NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "fullBody" TEXT;

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "providerMessageId" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoredFile_workspaceId_idx" ON "StoredFile"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "StoredFile_integrationId_providerMessageId_part_key" ON "StoredFile"("integrationId", "providerMessageId", "part");

-- CreateIndex
CREATE UNIQUE INDEX "Task_routingToken_key" ON "Task"("routingToken");

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;
