-- CreateEnum
CREATE TYPE "CurriculumLevel" AS ENUM ('STAGE', 'SUBJECT', 'EDITION', 'VOLUME', 'CHAPTER', 'SECTION');

-- CreateTable
CREATE TABLE "CurriculumNode" (
    "id" TEXT NOT NULL,
    "parentId" TEXT,
    "level" "CurriculumLevel" NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "subject" TEXT,
    "edition" TEXT,
    "grade" TEXT,

    CONSTRAINT "CurriculumNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgePoint" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "KnowledgePoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CurriculumKnowledgePoint" (
    "nodeId" TEXT NOT NULL,
    "knowledgePointId" TEXT NOT NULL,

    CONSTRAINT "CurriculumKnowledgePoint_pkey" PRIMARY KEY ("nodeId","knowledgePointId")
);

-- CreateTable
CREATE TABLE "ResourceCurriculum" (
    "resourceId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,

    CONSTRAINT "ResourceCurriculum_pkey" PRIMARY KEY ("resourceId","nodeId")
);

-- CreateTable
CREATE TABLE "ResourceKnowledgePoint" (
    "resourceId" TEXT NOT NULL,
    "knowledgePointId" TEXT NOT NULL,

    CONSTRAINT "ResourceKnowledgePoint_pkey" PRIMARY KEY ("resourceId","knowledgePointId")
);

-- CreateTable
CREATE TABLE "ResourceTypeDef" (
    "code" TEXT NOT NULL,
    "celts" TEXT NOT NULL,
    "everyday" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ResourceTypeDef_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "CurriculumNode_parentId_position_idx" ON "CurriculumNode"("parentId", "position");

-- CreateIndex
CREATE INDEX "CurriculumNode_path_idx" ON "CurriculumNode"("path");

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgePoint_subject_name_key" ON "KnowledgePoint"("subject", "name");

-- CreateIndex
CREATE INDEX "CurriculumKnowledgePoint_knowledgePointId_idx" ON "CurriculumKnowledgePoint"("knowledgePointId");

-- CreateIndex
CREATE INDEX "ResourceCurriculum_nodeId_idx" ON "ResourceCurriculum"("nodeId");

-- CreateIndex
CREATE INDEX "ResourceKnowledgePoint_knowledgePointId_idx" ON "ResourceKnowledgePoint"("knowledgePointId");

-- AddForeignKey
ALTER TABLE "CurriculumNode" ADD CONSTRAINT "CurriculumNode_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "CurriculumNode"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CurriculumKnowledgePoint" ADD CONSTRAINT "CurriculumKnowledgePoint_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "CurriculumNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CurriculumKnowledgePoint" ADD CONSTRAINT "CurriculumKnowledgePoint_knowledgePointId_fkey" FOREIGN KEY ("knowledgePointId") REFERENCES "KnowledgePoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceCurriculum" ADD CONSTRAINT "ResourceCurriculum_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceCurriculum" ADD CONSTRAINT "ResourceCurriculum_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "CurriculumNode"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceKnowledgePoint" ADD CONSTRAINT "ResourceKnowledgePoint_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceKnowledgePoint" ADD CONSTRAINT "ResourceKnowledgePoint_knowledgePointId_fkey" FOREIGN KEY ("knowledgePointId") REFERENCES "KnowledgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
