/**
 * Stripe's webhook events, taken in: the signature was verified on the raw body
 * (app/server/stripe-webhook.ts); here each allowed event is applied exactly once. Stripe delivers
 * at least once and in no particular order, so:
 *  - the event's id is stored under a unique key in the same transaction as its effect (a replay
 *    finds it and does nothing; a crash before commit leaves neither, and Stripe's retry applies it);
 *  - the effect follows the object's current state read back from Stripe (the session, intent,
 *    charge, dispute or account), not the order the events came in;
 *  - every effect is idempotent on its own (settlement.server.ts), so two events that mean the
 *    same thing (completed and async success of one session) grant once.
 */
import { prisma, type Tx } from '~/lib/db.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { stripe, type Stripe } from '~/lib/stripe.server.ts'
import {
  lockOrder,
  settleAwaiting,
  settleDispute,
  settleFailed,
  settlePaid,
  settleRefund,
  type LockedOrder,
} from './settlement.server.ts'

export const HANDLED_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'account.updated',
])

export type EventOutcome = 'ignored' | 'duplicate' | 'applied' | 'unknown-order'

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null))

/** Reads what the event is about as it is now, before any transaction is opened. */
async function currentState(event: Stripe.Event) {
  const s = stripe()
  const object = event.data.object as { id: string; object: string }
  switch (object.object) {
    case 'checkout.session': {
      // One call: the session with its payment intent expanded (amount, fee, charge, method).
      const session = await s.checkout.sessions.retrieve(object.id, {
        expand: ['payment_intent', 'payment_intent.latest_charge'],
      })
      const pi = session.payment_intent
      const intent = typeof pi === 'string' ? await s.paymentIntents.retrieve(pi) : pi
      return { kind: 'session' as const, session, intent, orderId: session.metadata?.orderId ?? null }
    }
    case 'charge': {
      const charge = await s.charges.retrieve(object.id, { expand: ['refunds'] })
      return { kind: 'charge' as const, charge }
    }
    case 'dispute': {
      const dispute = await s.disputes.retrieve(object.id)
      return { kind: 'dispute' as const, dispute }
    }
    case 'account': {
      const account = await s.accounts.retrieve(object.id)
      return { kind: 'account' as const, account }
    }
    default:
      return { kind: 'other' as const }
  }
}

type State = Awaited<ReturnType<typeof currentState>>

async function orderIdFor(state: State): Promise<string | null> {
  if (state.kind === 'session') return state.orderId
  const chargeId =
    state.kind === 'charge' ? state.charge.id : state.kind === 'dispute' ? idOf(state.dispute.charge) : null
  if (!chargeId) return null
  const o = await prisma.order.findUnique({ where: { chargeId }, select: { id: true } })
  return o?.id ?? null
}

async function apply(tx: Tx, event: Stripe.Event, state: State, order: LockedOrder | null) {
  if (state.kind === 'account') {
    const a = state.account
    await tx.providerAccount.updateMany({
      where: { stripeAccountId: a.id },
      data: {
        detailsSubmitted: !!a.details_submitted,
        chargesEnabled: !!a.charges_enabled,
        payoutsEnabled: !!a.payouts_enabled,
      },
    })
    return
  }
  if (!order) return
  if (state.kind === 'session') {
    const { session, intent } = state
    if (session.payment_status === 'paid') await settlePaid(tx, order, { session, intent })
    else if (session.status === 'expired') await settleFailed(tx, order, 'expired')
    else if (session.status === 'complete') {
      // Unpaid after checkout: Alipay or WeChat Pay still on its way, or it failed.
      const failed = intent && ['requires_payment_method', 'canceled'].includes(intent.status)
      if (failed && event.type === 'checkout.session.async_payment_failed')
        await settleFailed(tx, order, 'async_failed')
      else if (!failed) await settleAwaiting(tx, order)
    }
    return
  }
  if (state.kind === 'charge') {
    const refunds = state.charge.refunds?.data ?? []
    // Oldest first, so that the running totals (and the fee's share) come out as Stripe's did.
    for (const r of [...refunds].reverse()) {
      if (r.status !== 'succeeded' && r.status !== 'pending') continue
      await settleRefund(tx, order, {
        stripeRefundId: r.id,
        amountFen: r.amount,
        itemIds: (r.metadata?.itemIds ?? '').split(',').filter(Boolean),
        reason: r.metadata?.reason ?? r.reason ?? '',
        byUserId: r.metadata?.byUserId || undefined,
      })
    }
    return
  }
  if (state.kind === 'dispute') await settleDispute(tx, order, state.dispute)
}

/** Applies one verified event; returns what became of it. Throws when Stripe cannot be read
 * (the endpoint answers 5xx and Stripe delivers again later). */
export async function applyStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
  if (!HANDLED_EVENTS.has(event.type)) return 'ignored'
  if (await prisma.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return 'duplicate'
  const state = await currentState(event)
  const orderId = await orderIdFor(state)
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.stripeEvent.create({ data: { id: event.id, type: event.type, orderId } })
      const order = orderId ? await lockOrder(tx, orderId) : null
      if (state.kind !== 'account' && !order) {
        logger.warn({ eventId: event.id, type: event.type }, 'stripe event for no order of ours')
        return 'unknown-order' as const
      }
      await apply(tx, event, state, order)
      return 'applied' as const
    })
  } catch (e) {
    // The same event in a parallel delivery committed first; any other conflict is a failure
    // (answered 500: Stripe delivers again).
    if ((e as { code?: string }).code === 'P2002' && (await prisma.stripeEvent.count({ where: { id: event.id } })))
      return 'duplicate'
    throw e
  }
}
