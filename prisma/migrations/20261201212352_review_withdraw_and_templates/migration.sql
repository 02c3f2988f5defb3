-- AlterEnum
ALTER TYPE "ReviewStatus" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "Platform" ADD COLUMN     "reviewCommentTemplates" TEXT[] DEFAULT ARRAY[]::TEXT[];
