/**
 * The demo marketplace: every premium resource of the catalogue gets prices (a personal licence at
 * its listed price, a school licence of 20 seats for a year, a whole-school and a region licence),
 * and every seller a payout account that may take charges, as after Stripe onboarding, so that a
 * newcomer can buy something in `npm run demo` (through the local fake Stripe). The hand-written
 * premium course belongs to the demo provider 韩雪; generated premium resources to teachers, whom
 * the demo lets sell. Idempotent: a resource that has prices is left alone.
 */
import type { PrismaClient } from '../../app/generated/prisma/client.ts'

/** Multiples of the personal price for the other licences, rounded to whole yuan. */
const LADDER = [
  { scope: 'PERSONAL', term: 'PERPETUAL', seats: null, times: 1, uses: ['CLASSROOM', 'PRINT_COPIES'] },
  { scope: 'SCHOOL', term: 'ONE_YEAR', seats: 20, times: 12, uses: ['CLASSROOM', 'PRINT_COPIES', 'SCHOOL_SHARING'] },
  { scope: 'SCHOOL', term: 'PERPETUAL', seats: null, times: 40, uses: ['CLASSROOM', 'PRINT_COPIES', 'SCHOOL_SHARING'] },
  {
    scope: 'REGION',
    term: 'ONE_YEAR',
    seats: null,
    times: 150,
    uses: ['CLASSROOM', 'PRINT_COPIES', 'SCHOOL_SHARING', 'ADAPT'],
  },
] as const

export async function seedMarket(prisma: PrismaClient) {
  const premium = await prisma.resource.findMany({
    where: { licence: 'PREMIUM', status: 'PUBLISHED', offers: { none: {} } },
    select: { id: true, ownerId: true, priceCents: true },
  })
  const sellers = [...new Set(premium.map((r) => r.ownerId))]
  const existing = new Set((await prisma.providerAccount.findMany({ select: { userId: true } })).map((a) => a.userId))
  await prisma.providerAccount.createMany({
    data: sellers
      .filter((id) => !existing.has(id))
      .map((userId) => ({
        userId,
        stripeAccountId: `acct_demo_${userId}`,
        detailsSubmitted: true,
        chargesEnabled: true,
        payoutsEnabled: true,
      })),
  })
  const rows = premium.flatMap((r) => {
    const base = r.priceCents && r.priceCents > 0 ? r.priceCents : 1990
    return LADDER.map((l) => ({
      resourceId: r.id,
      sellerId: r.ownerId,
      scope: l.scope,
      term: l.term,
      seats: l.seats,
      priceFen: Math.min(10_000_000, Math.round((base * l.times) / 100) * 100),
      uses: [...l.uses],
    }))
  })
  for (let i = 0; i < rows.length; i += 1000) await prisma.offer.createMany({ data: rows.slice(i, i + 1000) })
  return { resources: premium.length, sellers: sellers.length }
}
