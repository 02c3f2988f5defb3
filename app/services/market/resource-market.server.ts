/**
 * The marketplace's part of a resource page: what may be bought and for whom (the viewer's own
 * licence; the schools they purchase for; the city or county they administer), why the viewer
 * may already use it, the viewer's open order if a payment is on its way, and for the provider
 * their prices.
 */
import { prisma } from '~/lib/db.server.ts'
import { can, type Actor } from '../authorization.server.ts'
import { coverageFor } from './licences.server.ts'
import { activeOffers } from './offers.server.ts'

export async function marketPanel(actor: Actor | null, resourceId: string) {
  const resource = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: { id: true, licence: true, status: true, ownerId: true, platform: { select: { id: true, path: true } } },
  })
  if (!resource || resource.licence !== 'PREMIUM' || resource.status !== 'PUBLISHED') return null
  const offers = await activeOffers(resource.id)
  const isSeller = !!actor && actor.userId === resource.ownerId && can(actor, 'market.sell', resource.platform)
  const seller = await prisma.providerAccount.findUnique({
    where: { userId: resource.ownerId },
    select: { chargesEnabled: true },
  })
  if (!actor)
    return { offers, isSeller, sellerReady: !!seller?.chargesEnabled, coverage: null, buyFor: [], pending: null }
  const purchaserOf = actor.roles.filter((g) => g.role === 'SCHOOL_PURCHASER').map((g) => g.platformId)
  const adminOf = actor.roles.filter((g) => g.role === 'PLATFORM_ADMIN').map((g) => g.platformId)
  const [coverage, platforms, pending] = await Promise.all([
    coverageFor(actor.userId, resource.id),
    prisma.platform.findMany({
      where: {
        status: 'ACTIVE',
        OR: [
          { id: { in: purchaserOf }, level: 'SCHOOL' },
          { id: { in: adminOf }, level: { in: ['CITY', 'COUNTY'] } },
        ],
      },
      orderBy: { path: 'asc' },
      select: { id: true, name: true, level: true },
    }),
    prisma.order.findFirst({
      where: {
        buyerId: actor.userId,
        status: { in: ['PENDING', 'AWAITING_PAYMENT'] },
        items: { some: { resourceIds: { has: resource.id } } },
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true },
    }),
  ])
  return {
    offers,
    isSeller,
    sellerReady: !!seller?.chargesEnabled,
    coverage: coverage && {
      scope: coverage.scope,
      seat: coverage.seat,
      holderName: coverage.holderName,
      orderNumber: coverage.orderNumber,
      endsAt: coverage.endsAt?.toISOString() ?? null,
    },
    buyFor: platforms.map((p) => ({ id: p.id, name: p.name, scope: p.level === 'SCHOOL' ? 'SCHOOL' : 'REGION' })),
    pending,
  }
}
