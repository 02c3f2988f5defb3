-- CreateEnum
CREATE TYPE "ResourceStatus" AS ENUM ('DRAFT', 'FAILED', 'DUPLICATE', 'DELETED');

-- CreateEnum
CREATE TYPE "MediaKind" AS ENUM ('VIDEO', 'AUDIO', 'DOCUMENT', 'IMAGE', 'SUBTITLE');

-- CreateEnum
CREATE TYPE "FileRole" AS ENUM ('PRIMARY', 'SUBTITLE');

-- CreateEnum
CREATE TYPE "FileStatus" AS ENUM ('UPLOADING', 'PROCESSING', 'READY', 'FAILED', 'REJECTED', 'DUPLICATE');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('WAITING', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "status" "ResourceStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "resourceType" TEXT NOT NULL DEFAULT 'COURSEWARE',
    "subject" TEXT,
    "grade" TEXT,
    "kind" "MediaKind",
    "duplicateOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceFile" (
    "id" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "role" "FileRole" NOT NULL DEFAULT 'PRIMARY',
    "status" "FileStatus" NOT NULL DEFAULT 'UPLOADING',
    "originalName" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "storageKey" TEXT,
    "sha256" TEXT,
    "kind" "MediaKind",
    "mimeType" TEXT,
    "probe" JSONB,
    "textContent" TEXT,
    "errorKey" TEXT,
    "errorDetail" TEXT,
    "uploadedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessingStep" (
    "id" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'WAITING',
    "after" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run" INTEGER NOT NULL DEFAULT 1,
    "queuedAt" TIMESTAMP(3),
    "errorKey" TEXT,
    "errorDetail" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcessingStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Derivative" (
    "id" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "isPrefix" BOOLEAN NOT NULL DEFAULT false,
    "size" BIGINT NOT NULL DEFAULT 0,
    "meta" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Derivative_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Resource_platformId_status_idx" ON "Resource"("platformId", "status");

-- CreateIndex
CREATE INDEX "Resource_ownerId_createdAt_idx" ON "Resource"("ownerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceFile_storageKey_key" ON "ResourceFile"("storageKey");

-- CreateIndex
CREATE INDEX "ResourceFile_platformId_sha256_idx" ON "ResourceFile"("platformId", "sha256");

-- CreateIndex
CREATE INDEX "ResourceFile_resourceId_idx" ON "ResourceFile"("resourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessingStep_fileId_name_key" ON "ProcessingStep"("fileId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Derivative_fileId_name_key" ON "Derivative"("fileId", "name");

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceFile" ADD CONSTRAINT "ResourceFile_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessingStep" ADD CONSTRAINT "ProcessingStep_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "ResourceFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivative" ADD CONSTRAINT "Derivative_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "ResourceFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
