-- AlterTable
ALTER TABLE "Platform" ADD COLUMN     "contact" TEXT,
ADD COLUMN     "hostUnit" TEXT,
ADD COLUMN     "icpNumber" TEXT;
