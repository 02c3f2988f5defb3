-- CreateTable
CREATE TABLE "Push" (
    "id" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "resourceId" TEXT,
    "collectionId" TEXT,
    "targetPlatformIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "targetRoles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Push_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Push_platformId_createdAt_idx" ON "Push"("platformId", "createdAt");
