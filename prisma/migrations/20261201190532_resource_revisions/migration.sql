-- CreateEnum
CREATE TYPE "RevisionStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'APPROVED', 'REJECTED', 'DISCARDED');

-- AlterEnum
ALTER TYPE "ReviewKind" ADD VALUE 'REVISION';

-- AlterTable
ALTER TABLE "ResourceFile" ADD COLUMN     "revisionId" TEXT;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "revisionId" TEXT;

-- CreateTable
CREATE TABLE "ResourceRevision" (
    "id" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "status" "RevisionStatus" NOT NULL DEFAULT 'DRAFT',
    "openFor" TEXT,
    "metadata" JSONB,
    "createdById" TEXT NOT NULL,
    "authorIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "baseSnapshot" JSONB,
    "proposedSnapshot" JSONB,
    "submittedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ResourceRevision_openFor_key" ON "ResourceRevision"("openFor");

-- CreateIndex
CREATE INDEX "ResourceRevision_resourceId_createdAt_idx" ON "ResourceRevision"("resourceId", "createdAt");

-- CreateIndex
CREATE INDEX "ResourceFile_revisionId_idx" ON "ResourceFile"("revisionId");

-- AddForeignKey
ALTER TABLE "ResourceFile" ADD CONSTRAINT "ResourceFile_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "ResourceRevision"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "ResourceRevision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceRevision" ADD CONSTRAINT "ResourceRevision_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
