// Prisma 7 reads the datasource URL from here instead of schema.prisma.
// Only `prisma generate` uses this file in our set-up; migrations run through
// scripts/db/migrate.ts (see docs/decisions/0003-prisma-offline-migrations.md).
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/erc' },
})
