-- CreateEnum
CREATE TYPE "ReviewKind" AS ENUM ('SUBMISSION', 'RECOMMENDATION');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('OPEN', 'DECIDED');

-- CreateEnum
CREATE TYPE "ReviewOutcome" AS ENUM ('APPROVED', 'CHANGES_REQUESTED', 'REJECTED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ResourceStatus" ADD VALUE 'SUBMITTED';
ALTER TYPE "ResourceStatus" ADD VALUE 'IN_REVIEW';
ALTER TYPE "ResourceStatus" ADD VALUE 'CHANGES_REQUESTED';
ALTER TYPE "ResourceStatus" ADD VALUE 'REJECTED';
ALTER TYPE "ResourceStatus" ADD VALUE 'TAKEN_DOWN';

-- AlterTable
ALTER TABLE "Platform" ADD COLUMN     "reviewCriteria" TEXT[] DEFAULT ARRAY['SCIENTIFIC', 'EDUCATIONAL', 'TECHNICAL', 'ARTISTIC', 'NORMATIVE']::TEXT[],
ADD COLUMN     "reviewPassScore" DOUBLE PRECISION NOT NULL DEFAULT 3,
ADD COLUMN     "reviewersNeeded" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "takedownReason" TEXT;

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "kind" "ReviewKind" NOT NULL DEFAULT 'SUBMISSION',
    "status" "ReviewStatus" NOT NULL DEFAULT 'OPEN',
    "outcome" "ReviewOutcome",
    "versionId" TEXT,
    "submittedById" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "turnaroundSeconds" INTEGER,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewDecision" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "outcome" "ReviewOutcome",
    "scores" JSONB,
    "reasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "fieldComments" JSONB,
    "comment" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ReviewDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceVersion" (
    "id" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "metadata" JSONB NOT NULL,
    "fileSha256" TEXT,
    "fileName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResourceVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Review_platformId_status_submittedAt_idx" ON "Review"("platformId", "status", "submittedAt");

-- CreateIndex
CREATE INDEX "Review_resourceId_submittedAt_idx" ON "Review"("resourceId", "submittedAt");

-- CreateIndex
CREATE INDEX "ReviewDecision_reviewerId_decidedAt_idx" ON "ReviewDecision"("reviewerId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewDecision_reviewId_reviewerId_key" ON "ReviewDecision"("reviewId", "reviewerId");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceVersion_resourceId_number_key" ON "ResourceVersion"("resourceId", "number");

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDecision" ADD CONSTRAINT "ReviewDecision_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceVersion" ADD CONSTRAINT "ResourceVersion_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
