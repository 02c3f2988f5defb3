/**
 * Orders as their buyer sees them (我的订单, the page Stripe sends the buyer back to), and as the
 * operator and the regulator of their platform see them. Nobody else learns that an order exists.
 */
import { prisma } from '~/lib/db.server.ts'
import { notFound, unauthenticated } from '~/lib/errors.ts'
import { can, type Actor } from '../authorization.server.ts'

const orderInclude = {
  platform: { select: { id: true, path: true, name: true, slug: true } },
  buyer: { select: { displayName: true } },
  seller: { select: { displayName: true } },
  items: {
    include: {
      licence: { select: { id: true, status: true, endsAt: true, holderPlatform: { select: { name: true } } } },
    },
  },
  refunds: { orderBy: { createdAt: 'asc' as const } },
  invoice: true,
} as const

export async function orderForViewer(actor: Actor | null, orderId: string) {
  if (!actor) throw unauthenticated()
  if (!/^[a-z0-9]{8,40}$/i.test(orderId)) throw notFound()
  const order = await prisma.order.findUnique({ where: { id: orderId }, include: orderInclude })
  if (!order) throw notFound()
  const isBuyer = order.buyerId === actor.userId
  if (!isBuyer && !can(actor, 'market.books.read', order.platform)) throw notFound()
  const { openKey: _openKey, checkoutUrl, ...rest } = order
  return {
    ...rest,
    isBuyer,
    // The buyer may go back to an unfinished Stripe page.
    checkoutUrl: isBuyer && order.status === 'PENDING' ? checkoutUrl : null,
  }
}

export async function myOrders(actor: Actor | null) {
  if (!actor) throw unauthenticated()
  return prisma.order.findMany({
    where: { buyerId: actor.userId },
    orderBy: { createdAt: 'desc' },
    take: 100,
    select: {
      id: true,
      number: true,
      status: true,
      amountFen: true,
      refundedFen: true,
      createdAt: true,
      items: { select: { title: true, scope: true } },
    },
  })
}
