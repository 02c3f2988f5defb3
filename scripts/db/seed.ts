import { prisma } from '../../app/lib/db.server.ts'
import { demoCredentialsTable, seed } from '../../prisma/seed.ts'

const r = await seed(prisma)
console.log(`seeded ${r.platforms} platforms and ${r.users} users`)
console.log(demoCredentialsTable())
await prisma.$disconnect()
