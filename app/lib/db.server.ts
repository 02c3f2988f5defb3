import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { env } from './env.server.ts'
import { singleton } from './singleton.server.ts'

export type { Prisma } from '../generated/prisma/client.ts'
export * from '../generated/prisma/enums.ts'

export const prisma = singleton(
  'prisma',
  () => new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }) }),
)

/** A transaction client, for services that take part in a caller's transaction. */
export type Tx = Omit<typeof prisma, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>
