/**
 * Refunds, full or partial, by the trading operator. The refund reverses the provider's transfer
 * and refunds the platform's fee in proportion (`reverse_transfer`, `refund_application_fee`);
 * a full refund ends every licence of the order, a partial one the items the operator chose. The
 * effect is applied right after Stripe accepts, keyed by Stripe's refund id, so the
 * `charge.refunded` webhook that follows (or comes first) changes nothing more.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, notFound, unavailable, validation } from '~/lib/errors.ts'
import { logger } from '~/lib/logger.server.ts'
import { stripe } from '~/lib/stripe.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { parseYuan } from './money.ts'
import { lockOrder, settleRefund } from './settlement.server.ts'

export type RefundInput = { amount?: string; itemIds: string[]; reason?: string }

export async function refundOrder(actor: Actor | null, orderId: string, input: RefundInput) {
  if (!/^[a-z0-9]{8,40}$/i.test(orderId)) throw notFound()
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    include: { platform: { select: { id: true, path: true } }, items: { select: { id: true } } },
  })
  if (!order) throw notFound()
  assertCan(actor, 'market.operate', order.platform)
  if (order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED') throw conflict('market.error.notRefundable')
  if (!order.paymentIntentId) throw conflict('market.error.notRefundable')
  const left = order.amountFen - order.refundedFen
  let amount = left
  if (input.amount?.trim()) {
    const parsed = parseYuan(input.amount)
    if (!parsed.ok) throw validation({ amount: 'market.error.refundAmount' })
    if (parsed.fen > left) throw validation({ amount: 'market.error.refundTooMuch' })
    amount = parsed.fen
  }
  const itemIds = [...new Set(input.itemIds)]
  if (itemIds.some((id) => !order.items.some((i) => i.id === id)))
    throw validation({ items: 'market.error.refundItems' })
  const whole = amount === left
  if (!whole && !itemIds.length) throw validation({ items: 'market.error.refundChooseItems' })
  const reason = (input.reason ?? '').trim().slice(0, 200)

  let refund
  try {
    refund = await stripe().refunds.create(
      {
        payment_intent: order.paymentIntentId,
        amount,
        reverse_transfer: true,
        refund_application_fee: true,
        metadata: { orderId: order.id, itemIds: itemIds.join(','), byUserId: actor.userId, reason },
      },
      // One refund per order state: a double click or a retry after a timeout is the same refund.
      { idempotencyKey: `refund:${order.id}:${order.refundedFen}:${amount}:${itemIds.sort().join(',')}` },
    )
  } catch (e) {
    logger.warn({ err: e, orderId }, 'stripe refund refused')
    throw unavailable('market.error.refundFailed')
  }
  // A refund Stripe could not make (failed, canceled) changes nothing here; one on its way
  // (pending) is booked now, as Stripe's charge already counts it refunded.
  if (refund.status !== 'succeeded' && refund.status !== 'pending') throw unavailable('market.error.refundFailed')
  await prisma.$transaction(async (tx) => {
    const locked = await lockOrder(tx, order.id)
    if (!locked) return
    await settleRefund(tx, locked, {
      stripeRefundId: refund.id,
      amountFen: refund.amount,
      itemIds,
      reason,
      byUserId: actor.userId,
    })
  })
  return { refundId: refund.id, amountFen: refund.amount }
}
