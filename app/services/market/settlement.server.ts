/**
 * What money events do to orders, licences and the ledger, each applied inside the caller's
 * transaction with the order's row locked, and each idempotent: payment (grant the licences once),
 * asynchronous failure or expiry, refunds (by Stripe's refund id), disputes (to the dispute's
 * current status, whatever order the events came in). Used by the webhook intake and by the
 * operator's refund, so that both paths have one effect.
 */
import type { Tx } from '~/lib/db.server.ts'
import { formatFen } from '~/lib/market-codes.ts'
import { logger } from '~/lib/logger.server.ts'
import type { Stripe } from '~/lib/stripe.server.ts'
import { writeAudit } from '../audit.server.ts'
import { notify } from '../notifications/notify.server.ts'
import { newId } from '../uploads/start-upload.server.ts'
import { postJournal, paymentMovement, reversed } from './ledger.server.ts'
import { feeRefundOf } from './money.ts'

export type LockedOrder = {
  id: string
  number: string
  status: 'PENDING' | 'AWAITING_PAYMENT' | 'PAID' | 'FAILED' | 'PARTIALLY_REFUNDED' | 'REFUNDED'
  buyerId: string
  platformId: string
  /** The portal it was bought on (the buyer's notifications link there). */
  platformSlug: string
  amountFen: number
  feeFen: number
  refundedFen: number
  currency: string
  disputeStatus: string | null
}

/** Locks the order's row for the rest of the transaction and reads it (with its portal's slug). */
export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<LockedOrder[]>`
    SELECT o.id, o.number, o.status, o."buyerId", o."platformId", p.slug AS "platformSlug", o."amountFen",
           o."feeFen", o."refundedFen", o.currency, o."disputeStatus"
    FROM "Order" o JOIN "Platform" p ON p.id = o."platformId"
    WHERE o.id = ${orderId} FOR UPDATE OF o`
  return rows[0] ?? null
}

const YEAR_MS = 365 * 24 * 3600_000

/** Tells the buyer (bell and e-mail), with a link to the order's page on the portal it was bought on. */
function tellBuyer(
  tx: Tx,
  order: LockedOrder,
  kind: 'market.orderPaid' | 'market.refunded',
  params: Record<string, string>,
) {
  return notify(
    tx,
    [order.buyerId],
    kind,
    { number: order.number, ...params },
    `/p/${order.platformSlug}/orders/${order.id}`,
  )
}

/** The session is paid: grant every item's licence, book the payment. Once per order. */
export async function settlePaid(
  tx: Tx,
  order: LockedOrder,
  paid: { session: Stripe.Checkout.Session; intent: Stripe.PaymentIntent | null; now?: Date },
) {
  // FAILED too: a checkout we gave up on that was paid after all is granted, not kept silently.
  if (order.status !== 'PENDING' && order.status !== 'AWAITING_PAYMENT' && order.status !== 'FAILED') return 'already'
  const { session, intent } = paid
  // What Stripe says was paid must be exactly what we asked for; anything else is not a payment of
  // this order (a tampered or mixed-up session), and nothing is granted.
  const matches =
    session.amount_total === order.amountFen &&
    session.currency === order.currency &&
    session.metadata?.orderId === order.id &&
    (!intent || (intent.amount === order.amountFen && (intent.application_fee_amount ?? 0) === order.feeFen))
  if (!matches) {
    logger.error(
      { orderId: order.id, sessionId: session.id, amountTotal: session.amount_total, expected: order.amountFen },
      'checkout session does not match its order; nothing granted',
    )
    // In the operator's audit trail, so that money taken for nothing is found and refunded.
    await writeAudit(
      {
        action: 'market.order_failed',
        platformId: order.platformId,
        targetType: 'order',
        targetId: order.id,
        data: { why: 'mismatch', sessionId: session.id, amountTotal: session.amount_total ?? null },
      },
      tx,
    )
    return 'mismatch'
  }
  const now = paid.now ?? new Date()
  const chargeId =
    typeof intent?.latest_charge === 'string' ? intent.latest_charge : (intent?.latest_charge?.id ?? null)
  await tx.order.update({
    where: { id: order.id },
    data: {
      status: 'PAID',
      paidAt: now,
      openKey: null,
      paymentIntentId: intent?.id ?? null,
      chargeId,
      // What the buyer paid with is the charge's; the intent lists every method it allowed.
      paymentMethod:
        (typeof intent?.latest_charge === 'object' ? intent.latest_charge?.payment_method_details?.type : null) ??
        intent?.payment_method_types?.[0] ??
        null,
    },
  })
  // One licence per item, and the resources each covers: two statements whatever the order holds.
  const items = await tx.orderItem.findMany({ where: { orderId: order.id } })
  const licences = items.map((it) => ({
    id: newId(),
    orderItemId: it.id,
    scope: it.scope,
    holderUserId: it.licenseeUserId,
    holderPlatformId: it.licenseePlatformId,
    seats: it.seats,
    startsAt: now,
    endsAt: it.term === 'ONE_YEAR' ? new Date(now.getTime() + YEAR_MS) : null,
  }))
  await tx.licence.createMany({ data: licences })
  await tx.licenceResource.createMany({
    data: items.flatMap((it, i) => it.resourceIds.map((resourceId) => ({ licenceId: licences[i]!.id, resourceId }))),
  })
  await postJournal(tx, order.id, 'PAYMENT', paymentMovement(order.amountFen, order.feeFen))
  await writeAudit(
    {
      action: 'market.order_paid',
      actorId: order.buyerId,
      platformId: order.platformId,
      targetType: 'order',
      targetId: order.id,
      data: { number: order.number, amountFen: order.amountFen, feeFen: order.feeFen },
    },
    tx,
  )
  await tellBuyer(tx, order, 'market.orderPaid', {})
  return 'granted'
}

/** Alipay / WeChat Pay: checkout finished, the money not yet there (等待支付确认). */
export async function settleAwaiting(tx: Tx, order: LockedOrder) {
  if (order.status !== 'PENDING') return 'already'
  await tx.order.update({ where: { id: order.id }, data: { status: 'AWAITING_PAYMENT' } })
  return 'awaiting'
}

/** The asynchronous payment failed, or the checkout expired unpaid. */
export async function settleFailed(tx: Tx, order: LockedOrder, why: string) {
  if (order.status !== 'PENDING' && order.status !== 'AWAITING_PAYMENT') return 'already'
  await tx.order.update({ where: { id: order.id }, data: { status: 'FAILED', openKey: null } })
  await writeAudit(
    {
      action: 'market.order_failed',
      platformId: order.platformId,
      targetType: 'order',
      targetId: order.id,
      data: { why },
    },
    tx,
  )
  return 'failed'
}

export type RefundFacts = {
  stripeRefundId: string
  amountFen: number
  itemIds: string[]
  reason?: string
  byUserId?: string
}

/** One refund, once (by its Stripe id): the ledger, the order's totals, the licences it ends.
 * A refund that brings the order to nothing ends every licence; a partial one the items named. */
export async function settleRefund(tx: Tx, order: LockedOrder, r: RefundFacts) {
  if (await tx.refund.findUnique({ where: { stripeRefundId: r.stripeRefundId }, select: { id: true } }))
    return 'already'
  if (order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED') return 'not-paid'
  const amount = Math.min(r.amountFen, order.amountFen - order.refundedFen)
  if (amount <= 0) return 'nothing'
  const feeRefund = feeRefundOf(order, amount)
  const refundedFen = order.refundedFen + amount
  const whole = refundedFen >= order.amountFen
  const items = await tx.orderItem.findMany({ where: { orderId: order.id }, select: { id: true } })
  const ended = whole ? items.map((i) => i.id) : r.itemIds.filter((id) => items.some((i) => i.id === id))
  await tx.refund.create({
    data: {
      stripeRefundId: r.stripeRefundId,
      orderId: order.id,
      amountFen: amount,
      feeRefundFen: feeRefund,
      itemIds: ended,
      reason: r.reason ?? '',
      byUserId: r.byUserId ?? null,
    },
  })
  await postJournal(tx, order.id, 'REFUND', reversed(paymentMovement(amount, feeRefund)))
  await tx.order.update({
    where: { id: order.id },
    data: { refundedFen, status: whole ? 'REFUNDED' : 'PARTIALLY_REFUNDED' },
  })
  for (const itemId of ended) {
    const item = await tx.orderItem.findUniqueOrThrow({
      where: { id: itemId },
      select: { priceFen: true, refundedFen: true },
    })
    await tx.orderItem.update({
      where: { id: itemId },
      data: { refundedFen: whole ? item.priceFen : Math.min(item.priceFen, item.refundedFen + amount) },
    })
  }
  if (ended.length)
    await tx.licence.updateMany({
      where: { orderItemId: { in: ended }, status: { not: 'REVOKED' } },
      data: { status: 'REVOKED', revokedAt: new Date() },
    })
  order.refundedFen = refundedFen
  order.status = whole ? 'REFUNDED' : 'PARTIALLY_REFUNDED'
  await writeAudit(
    {
      action: 'market.refund',
      actorId: r.byUserId ?? null,
      platformId: order.platformId,
      targetType: 'order',
      targetId: order.id,
      data: {
        number: order.number,
        amountFen: amount,
        feeRefundFen: feeRefund,
        itemIds: ended,
        stripeRefundId: r.stripeRefundId,
      },
    },
    tx,
  )
  await tellBuyer(tx, order, 'market.refunded', { amount: formatFen(amount) })
  return 'refunded'
}

/** A dispute (chargeback) takes the money while it is open. An inquiry (`warning_*`, a retrieval
 * request) moves no money and suspends nothing; `warning_closed` ends it like a dispute won. */
const OPEN_DISPUTE = new Set(['needs_response', 'under_review'])
const INQUIRY = new Set(['warning_needs_response', 'warning_under_review'])

/** Sums of the order's dispute journals not yet reversed. */
async function disputeOutstanding(tx: Tx, orderId: string) {
  const rows = await tx.ledgerEntry.groupBy({
    by: ['account'],
    where: { orderId, kind: { in: ['DISPUTE', 'DISPUTE_WON'] } },
    _sum: { amountFen: true },
  })
  const of = (a: string) => rows.find((r) => r.account === a)?._sum.amountFen ?? 0
  return { buyerFen: of('BUYER'), providerFen: of('PROVIDER'), feeFen: of('PLATFORM_FEE') }
}

/**
 * Brings the order to what the dispute's current status means, from whatever state it is in:
 * open — licences suspended, the disputed money booked out; won — licences back, the booking
 * reversed; lost — licences revoked, the booking stays. Replays and reordered events end in
 * the same place.
 */
export async function settleDispute(tx: Tx, order: LockedOrder, d: Stripe.Dispute) {
  const status = d.status === 'warning_closed' ? 'won' : d.status
  if (INQUIRY.has(status)) {
    if (order.disputeStatus === status) return 'already'
    await tx.order.update({ where: { id: order.id }, data: { disputeStatus: status } })
    return status
  }
  if (!OPEN_DISPUTE.has(status) && status !== 'won' && status !== 'lost') {
    logger.warn({ orderId: order.id, status }, 'dispute status not understood; order left as it was')
    return 'ignored'
  }
  if (order.disputeStatus === status) return 'already'
  const open = OPEN_DISPUTE.has(status)
  const outstanding = await disputeOutstanding(tx, order.id)
  const booked = outstanding.buyerFen !== 0
  if ((open || status === 'lost') && !booked) {
    const amount = Math.min(d.amount, order.amountFen - order.refundedFen)
    if (amount > 0)
      await postJournal(tx, order.id, 'DISPUTE', reversed(paymentMovement(amount, feeRefundOf(order, amount))))
  }
  if (status === 'won' && booked) await postJournal(tx, order.id, 'DISPUTE_WON', reversed(outstanding))
  const items = await tx.orderItem.findMany({ where: { orderId: order.id }, select: { id: true } })
  const itemIds = items.map((i) => i.id)
  if (open)
    await tx.licence.updateMany({
      where: { orderItemId: { in: itemIds }, status: 'ACTIVE' },
      data: { status: 'SUSPENDED' },
    })
  else if (status === 'won')
    await tx.licence.updateMany({
      where: { orderItemId: { in: itemIds }, status: 'SUSPENDED' },
      data: { status: 'ACTIVE' },
    })
  else if (status === 'lost')
    await tx.licence.updateMany({
      where: { orderItemId: { in: itemIds }, status: { not: 'REVOKED' } },
      data: { status: 'REVOKED', revokedAt: new Date() },
    })
  await tx.order.update({ where: { id: order.id }, data: { disputeStatus: status } })
  await writeAudit(
    {
      action: 'market.dispute',
      platformId: order.platformId,
      targetType: 'order',
      targetId: order.id,
      data: { status, disputeId: d.id },
    },
    tx,
  )
  return status
}
