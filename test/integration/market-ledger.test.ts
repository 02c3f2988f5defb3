/**
 * The ledger balances, whatever happens to orders: a property test over random sequences of
 * purchases (random prices and fee rates), partial and full refunds, and disputes won and lost,
 * applied through the same settlement functions the webhook and the operator use, against the
 * real database. After every sequence: each journal sums to zero; per order the payment equals
 * the provider's share plus the fee; refunds come back out of both in the fee's proportion and
 * never more than was paid; a fully refunded order, or a dispute won, nets to where it should.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import type { Stripe } from '~/lib/stripe.server.ts'
import { orderNumber } from '~/services/market/checkout.server.ts'
import { feeOf } from '~/services/market/money.ts'
import { lockOrder, settleDispute, settlePaid, settleRefund } from '~/services/market/settlement.server.ts'
import { platformBySlug, seedDemo } from '../factories/index.ts'
import { mediaResource } from '../factories/media-fixture.ts'

let buyerId: string
let sellerId: string
let platformId: string
let offerId: string

beforeAll(async () => {
  await seedDemo()
  buyerId = (await prisma.user.findUniqueOrThrow({ where: { phone: '13800000015' } })).id
  sellerId = (await prisma.user.findUniqueOrThrow({ where: { phone: '13800000005' } })).id
  platformId = (await platformBySlug('hunan')).id
  const r = await mediaResource({
    phone: '13800000005',
    slug: 'hunan',
    title: '账目测试资源',
    kind: 'DOCUMENT',
    licence: 'PREMIUM',
  })
  offerId = (
    await prisma.offer.create({
      data: { resourceId: r.id, sellerId, scope: 'PERSONAL', term: 'PERPETUAL', priceFen: 100, uses: ['CLASSROOM'] },
    })
  ).id
})

const orderArb = fc.record({
  priceFen: fc.integer({ min: 1, max: 10_000_000 }),
  feeRateBps: fc.integer({ min: 0, max: 3000 }),
  items: fc.integer({ min: 1, max: 3 }),
  steps: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('refund' as const),
        share: fc.double({ min: 0.01, max: 1, noNaN: true }),
        items: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('dispute' as const),
        outcome: fc.constantFrom('won' as const, 'lost' as const, 'open' as const),
      }),
      fc.constant({ kind: 'refundAll' as const }),
    ),
    { maxLength: 5 },
  ),
})

let serial = 0

async function run(o: typeof orderArb extends fc.Arbitrary<infer T> ? T : never) {
  const amountFen = o.priceFen * o.items
  const feeFen = feeOf(amountFen, o.feeRateBps)
  const order = await prisma.order.create({
    data: {
      number: orderNumber(),
      buyerId,
      sellerId,
      platformId,
      amountFen,
      feeFen,
      feeRateBps: o.feeRateBps,
      items: {
        create: Array.from({ length: o.items }, (_, i) => ({
          offerId,
          title: `第 ${i + 1} 项`,
          scope: 'PERSONAL' as const,
          term: 'PERPETUAL' as const,
          uses: ['CLASSROOM'],
          priceFen: o.priceFen,
          licenseeUserId: buyerId,
          resourceIds: [],
        })),
      },
    },
    include: { items: true },
  })
  const session = {
    id: `cs_prop_${++serial}`,
    amount_total: amountFen,
    currency: 'cny',
    metadata: { orderId: order.id },
    payment_method_types: ['card'],
  } as unknown as Stripe.Checkout.Session
  const step = <T>(fn: (tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0]) => Promise<T>) =>
    prisma.$transaction(async (tx) => fn(tx))
  await step(async (tx) => settlePaid(tx, (await lockOrder(tx, order.id))!, { session, intent: null }))
  let disputeOpen = false
  for (const [n, s] of o.steps.entries()) {
    await step(async (tx) => {
      const locked = (await lockOrder(tx, order.id))!
      const left = locked.amountFen - locked.refundedFen
      if (s.kind === 'dispute') {
        const status = s.outcome === 'open' ? 'needs_response' : disputeOpen || s.outcome === 'lost' ? s.outcome : 'won'
        await settleDispute(tx, locked, { id: `dp_${order.id}`, amount: left, status } as unknown as Stripe.Dispute)
        disputeOpen = s.outcome === 'open'
      } else if (left > 0 && !disputeOpen && locked.disputeStatus !== 'lost') {
        const amount = s.kind === 'refundAll' ? left : Math.max(1, Math.min(left, Math.round(left * s.share)))
        const itemIds = s.kind === 'refund' && s.items ? [order.items[0]!.id] : []
        await settleRefund(tx, locked, { stripeRefundId: `re_${order.id}_${n}`, amountFen: amount, itemIds })
      }
    })
  }
  return { order, amountFen, feeFen }
}

async function check({ order, amountFen, feeFen }: Awaited<ReturnType<typeof run>>) {
  const entries = await prisma.ledgerEntry.findMany({ where: { orderId: order.id } })
  const journals = new Map<string, number>()
  for (const e of entries) journals.set(e.journalId, (journals.get(e.journalId) ?? 0) + e.amountFen)
  for (const [, total] of journals) expect(total).toBe(0)
  const sum = (kind: string, account: string) =>
    entries.filter((e) => e.kind === kind && e.account === account).reduce((s, e) => s + e.amountFen, 0)
  // The payment: what the buyer paid is the provider's share plus the fee.
  expect(-sum('PAYMENT', 'BUYER')).toBe(amountFen)
  expect(sum('PAYMENT', 'PROVIDER') + sum('PAYMENT', 'PLATFORM_FEE')).toBe(amountFen)
  expect(sum('PAYMENT', 'PLATFORM_FEE')).toBe(feeFen)
  const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { refunds: true } })
  // Refunds: booked as they were made, never more than paid, the fee back in proportion.
  expect(sum('REFUND', 'BUYER')).toBe(after.refundedFen)
  expect(after.refunds.reduce((s, r) => s + r.amountFen, 0)).toBe(after.refundedFen)
  expect(after.refundedFen).toBeLessThanOrEqual(amountFen)
  const feeBack = -sum('REFUND', 'PLATFORM_FEE')
  expect(feeBack).toBeGreaterThanOrEqual(0)
  expect(feeBack).toBeLessThanOrEqual(feeFen)
  // Disputes: a won one nets to zero on every account.
  if (after.disputeStatus === 'won')
    for (const a of ['BUYER', 'PROVIDER', 'PLATFORM_FEE']) expect(sum('DISPUTE', a) + sum('DISPUTE_WON', a)).toBe(0)
  // Every account of an order returned in full (refunds, or refunds plus a lost dispute) is back at zero.
  const net = (a: string) => entries.filter((e) => e.account === a).reduce((s, e) => s + e.amountFen, 0)
  if (net('BUYER') === 0) {
    expect(net('PROVIDER')).toBe(0)
    expect(net('PLATFORM_FEE')).toBe(0)
  }
  if (after.refundedFen === amountFen) expect(after.status).toBe('REFUNDED')
  // Licences follow the money: fully refunded or dispute lost → none left active.
  const active = await prisma.licence.count({ where: { orderItem: { orderId: order.id }, status: 'ACTIVE' } })
  if (after.status === 'REFUNDED' || after.disputeStatus === 'lost') expect(active).toBe(0)
  if (after.disputeStatus === 'needs_response') expect(active).toBe(0)
}

describe('the ledger', () => {
  it('balances after random purchases, partial and full refunds, and disputes won and lost (fast-check, 60 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(orderArb, async (o) => {
        await check(await run(o))
      }),
      { numRuns: 60 },
    )
  })
})
