/**
 * Paying for a licence end to end through the real server and the real Stripe SDK, which talks to
 * the local fake Stripe: checkout, the signed webhook, exactly-once grants whatever the delivery
 * order, asynchronous payments, refunds and disputes, and the ledger after each.
 */
import { fakeStripe, WEBHOOK_SECRET } from '../support/fake-stripe.ts'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { startCheckout } from '~/services/market/checkout.server.ts'
import { coverageFor } from '~/services/market/licences.server.ts'
import { refundOrder } from '~/services/market/refunds.server.ts'
import { contentGrant } from '~/services/resources/access.server.ts'
import { actorByPhone, DEMO_PASSWORD, platformBySlug, seedDemo, until } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaUrlsIn } from '../factories/media-fixture.ts'
import { MARKET_PHONES, payOnFake, PERSONAL, premiumResource, readyProvider } from '../factories/market.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let hunan: Awaited<ReturnType<typeof platformBySlug>>
const signer = new Stripe('sk_test_signer')

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
  await readyProvider(fakeStripe)
  hunan = await platformBySlug('hunan')
})

afterAll(async () => {
  await server?.close()
  await fakeStripe.close()
})

const buy = async (phone: string, offerId: string) =>
  startCheckout(await actorByPhone(phone), { offerId }, hunan, `${server.base}/p/hunan`)

/** Bought and paid by card, the webhook applied. */
async function paidOrder(phone: string, offerId: string) {
  const { orderId, url } = await buy(phone, offerId)
  await payOnFake(fakeStripe, url, 'card')
  await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'PAID')
  return orderId
}

async function ledgerOf(orderId: string) {
  const entries = await prisma.ledgerEntry.findMany({ where: { orderId } })
  const byAccount = (a: string) => entries.filter((e) => e.account === a).reduce((s, e) => s + e.amountFen, 0)
  const journals = new Map<string, number>()
  for (const e of entries) journals.set(e.journalId, (journals.get(e.journalId) ?? 0) + e.amountFen)
  return { buyer: byAccount('BUYER'), provider: byAccount('PROVIDER'), fee: byAccount('PLATFORM_FEE'), journals }
}

const post = (body: string, signature: string) =>
  fetch(`${server.base}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  })

describe('a card payment', () => {
  it('makes one order with the fee and the provider as destination, and the signed webhook grants one licence', async () => {
    const r = await premiumResource('力与运动 精品课（卡支付）', [PERSONAL])
    const teacher = await actorByPhone(MARKET_PHONES.csTeacher)
    expect(await contentGrant(teacher, r.id)).toBe('preview')
    const { orderId, url } = await buy(MARKET_PHONES.csTeacher, r.offers[0]!.id)
    const create = fakeStripe.requests.find(
      (q) => q.path === '/v1/checkout/sessions' && q.idempotencyKey === `checkout:${orderId}`,
    )
    expect(create?.stripeVersion).toBe(Stripe.API_VERSION)
    const pid = create!.params.payment_intent_data as Record<string, Record<string, string> | string>
    expect(pid.application_fee_amount).toBe('490') // 10 % of ¥49.00
    expect(create!.params.allowed_payment_method_types).toEqual(['card', 'alipay', 'wechat_pay'])

    await payOnFake(fakeStripe, url, 'card')
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'PAID')
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(1)
    expect((await coverageFor(teacher.userId, r.id))?.scope).toBe('PERSONAL')
    expect(await contentGrant(teacher, r.id)).toBe('full')
    const l = await ledgerOf(orderId)
    expect(l).toMatchObject({ buyer: -4900, provider: 4410, fee: 490 })
  })

  it('delivered three times and out of order grants exactly one licence and one order', async () => {
    const r = await premiumResource('力与运动 精品课（重复投递）', [PERSONAL])
    const { orderId, url } = await buy(MARKET_PHONES.csTeacher2, r.offers[0]!.id)
    // WeChat Pay: checkout completes unpaid, the money follows. Hold the deliveries back to shuffle them.
    fakeStripe.setWebhookUrl('')
    const session = await payOnFake(fakeStripe, url, 'wechat_pay')
    await fakeStripe.settleAsync(session.id, 'succeeded')
    fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
    const events = fakeStripe.delivered.filter((d) => (d.event.data.object as { id: string }).id === session.id)
    expect(events.map((e) => e.event.type)).toEqual([
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
    ])
    const [completed, succeeded] = events.map((e) => e.event)
    for (const ev of [succeeded!, completed!, succeeded!, completed!, succeeded!])
      expect(await fakeStripe.deliver(ev)).toBe(200)
    expect(await prisma.order.count({ where: { buyer: { phone: MARKET_PHONES.csTeacher2 } } })).toBe(1)
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'PAID' })
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(1)
    expect((await ledgerOf(orderId)).journals.size).toBe(1)
    expect(await prisma.stripeEvent.count({ where: { orderId } })).toBe(2)
  })
})

describe('WeChat Pay', () => {
  it('keeps the order waiting with no licence until the asynchronous success arrives', async () => {
    const r = await premiumResource('力与运动 精品课（微信支付）', [PERSONAL])
    const buyer = await actorByPhone('13800000014')
    const { orderId, url } = await buy('13800000014', r.offers[0]!.id)
    const session = await payOnFake(fakeStripe, url, 'wechat_pay')
    await until(
      async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'AWAITING_PAYMENT',
    )
    expect(await contentGrant(buyer, r.id)).toBe('preview')
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(0)
    await fakeStripe.settleAsync(session.id, 'succeeded')
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'PAID')
    expect(await contentGrant(buyer, r.id)).toBe('full')
    // The method is the charge's, not the first the checkout allowed.
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      paymentMethod: 'wechat_pay',
    })
  })

  it('that fails ends the order without a licence', async () => {
    const r = await premiumResource('力与运动 精品课（支付失败）', [PERSONAL])
    const { orderId, url } = await buy('13800000041', r.offers[0]!.id)
    const session = await payOnFake(fakeStripe, url, 'alipay')
    await fakeStripe.settleAsync(session.id, 'failed')
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'FAILED')
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(0)
  })
})

describe('the webhook endpoint', () => {
  it('refuses a tampered body, a wrong secret and a stale timestamp with 400, and applies nothing', async () => {
    const r = await premiumResource('力与运动 精品课（伪造通知）', [PERSONAL])
    const { orderId, url } = await buy(MARKET_PHONES.csTeacher, r.offers[0]!.id)
    fakeStripe.setWebhookUrl('')
    const session = await payOnFake(fakeStripe, url, 'card')
    fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
    const ev = fakeStripe.delivered.findLast((d) => (d.event.data.object as { id: string }).id === session.id)!.event
    const body = JSON.stringify(ev)
    const good = signer.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET })
    const tampered = body.replace(`"amount_total":${session.amount_total}`, '"amount_total":1')
    expect(tampered).not.toBe(body)
    expect((await post(tampered, good)).status).toBe(400)
    const wrong = signer.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_someone_else_0123456789' })
    expect((await post(body, wrong)).status).toBe(400)
    const stale = signer.webhooks.generateTestHeaderString({
      payload: body,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    })
    const refused = await post(body, stale)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toBe('签名无效。')
    expect((await post(body, '')).status).toBe(400)
    expect(await prisma.stripeEvent.count({ where: { id: ev.id } })).toBe(0)
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'PENDING' })
    // The genuine delivery still works afterwards.
    expect((await post(body, good)).status).toBe(200)
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'PAID' })
  })

  it('grants nothing when the session Stripe reports does not match the order (amount changed)', async () => {
    const r = await premiumResource('力与运动 精品课（金额不符）', [PERSONAL])
    const { orderId, url } = await buy(MARKET_PHONES.csTeacher2, r.offers[0]!.id)
    fakeStripe.state.sessions.get(url.split('/').pop()!)!.amount_total = 1
    await payOnFake(fakeStripe, url, 'card')
    await until(async () => (await prisma.stripeEvent.count({ where: { orderId } })) === 1)
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'PENDING' })
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(0)
  })

  it('answers 200 to an event type it does not handle, and records nothing', async () => {
    const ev = fakeStripe.event('customer.created', { id: 'cus_test_1', object: 'customer' })
    expect(await fakeStripe.deliver(ev)).toBe(200)
    expect(await prisma.stripeEvent.count({ where: { id: ev.id } })).toBe(0)
  })
})

describe('two checkouts at the same moment', () => {
  it('of the same licence by the same buyer are one order, one Stripe session and one licence', async () => {
    const r = await premiumResource('力与运动 精品课（同时下单）', [PERSONAL])
    const offerId = r.offers[0]!.id
    const [a, b] = await Promise.all([buy('13800000034', offerId), buy('13800000034', offerId)])
    expect(a.orderId).toBe(b.orderId)
    expect(a.url).toBe(b.url)
    expect(await prisma.order.count({ where: { items: { some: { offerId } } } })).toBe(1)
    await payOnFake(fakeStripe, a.url, 'card')
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: a.orderId } })).status === 'PAID')
    expect(await prisma.licence.count({ where: { resources: { some: { resourceId: r.id } } } })).toBe(1)
    // Afterwards the same buyer cannot pay for it again.
    await expect(buy('13800000034', offerId)).rejects.toMatchObject({ messageKey: 'market.error.alreadyLicensed' })
  })
})

describe('a refund', () => {
  it('ends access at once for new requests, stops issued player links within seconds, and is booked once', async () => {
    const r = await premiumResource('力与运动 精品课（退款）', [PERSONAL])
    const orderId = await paidOrder(MARKET_PHONES.csTeacher, r.offers[0]!.id)
    const teacher = new Browser(server.base)
    await teacher.signIn('hunan', MARKET_PHONES.csTeacher, DEMO_PASSWORD)
    const page = await (await teacher.get(`/p/hunan/r/${r.id}`)).text()
    const master = mediaUrlsIn(page).find((u) => u.endsWith('hls/master.m3u8'))!
    const full = master.replace('hls/master.m3u8', 'hls/720p/seg_0025.ts') // at 100 s: beyond any preview
    expect((await teacher.get(full)).status).toBe(200)

    await refundOrder(await actorByPhone(MARKET_PHONES.operator), orderId, { itemIds: [], reason: '重复购买' })
    const buyer = await actorByPhone(MARKET_PHONES.csTeacher)
    expect(await contentGrant(buyer, r.id)).toBe('preview')
    const t0 = Date.now()
    await until(async () => (await teacher.get(full)).status === 403, 60_000)
    expect(Date.now() - t0).toBeLessThan(60_000)

    const refundCall = fakeStripe.requests.findLast((q) => q.path === '/v1/refunds')!
    expect(refundCall.params).toMatchObject({ reverse_transfer: 'true', refund_application_fee: 'true' })
    expect(refundCall.idempotencyKey).toMatch(/^refund:/)
    // Stripe's charge.refunded arrives afterwards: nothing more happens.
    await until(async () => fakeStripe.delivered.some((d) => d.event.type === 'charge.refunded' && d.status === 200))
    expect(await prisma.refund.count({ where: { orderId } })).toBe(1)
    expect(await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      status: 'REFUNDED',
      refundedFen: 4900,
    })
    expect(await ledgerOf(orderId)).toMatchObject({ buyer: 0, provider: 0, fee: 0 })
  })

  it('refuses an amount above what is left, and a partial refund without items, in Chinese', async () => {
    const r = await premiumResource('力与运动 精品课（部分退款）', [PERSONAL])
    const orderId = await paidOrder(MARKET_PHONES.csTeacher2, r.offers[0]!.id)
    const operator = await actorByPhone(MARKET_PHONES.operator)
    await expect(refundOrder(operator, orderId, { amount: '49.01', itemIds: [] })).rejects.toMatchObject({
      fields: { amount: 'market.error.refundTooMuch' },
    })
    await expect(refundOrder(operator, orderId, { amount: '10', itemIds: [] })).rejects.toMatchObject({
      fields: { items: 'market.error.refundChooseItems' },
    })
    expect(await prisma.refund.count({ where: { orderId } })).toBe(0)
  })
})

describe('a dispute', () => {
  it('suspends the licence while open, restores it when won, and the ledger nets back to the payment', async () => {
    const r = await premiumResource('力与运动 精品课（争议）', [PERSONAL])
    const orderId = await paidOrder(MARKET_PHONES.csTeacher2, r.offers[0]!.id)
    const buyer = await actorByPhone(MARKET_PHONES.csTeacher2)
    const chargeId = (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).chargeId!
    const opened = (await (
      await fetch(`${fakeStripe.url}/_fake/charges/${chargeId}/dispute`, { method: 'POST' })
    ).json()) as {
      dispute: { id: string }
      event: Parameters<typeof fakeStripe.deliver>[0]
    }
    await until(
      async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).disputeStatus === 'needs_response',
    )
    expect(await contentGrant(buyer, r.id)).toBe('preview')
    const closed = (await (
      await fetch(`${fakeStripe.url}/_fake/disputes/${opened.dispute.id}/close`, { method: 'POST', body: 'status=won' })
    ).json()) as { event: Parameters<typeof fakeStripe.deliver>[0] }
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).disputeStatus === 'won')
    expect(await contentGrant(buyer, r.id)).toBe('full')
    // The opening event delivered again after the close changes nothing (current state: won).
    expect(await fakeStripe.deliver({ ...opened.event, id: `${opened.event.id}_again` })).toBe(200)
    expect(await fakeStripe.deliver(closed.event)).toBe(200)
    expect(await contentGrant(buyer, r.id)).toBe('full')
    expect(await ledgerOf(orderId)).toMatchObject({ buyer: -4900, provider: 4410, fee: 490 })
  })
})

describe('after the review of the marketplace', () => {
  it('a checkout given up on (over 55 minutes old) is expired at Stripe before a new one starts, so it cannot be paid', async () => {
    const r = await premiumResource('力与运动 精品课（过期重下单）', [PERSONAL])
    const first = await buy('13800000041', r.offers[0]!.id)
    await prisma.order.update({ where: { id: first.orderId }, data: { createdAt: new Date(Date.now() - 56 * 60_000) } })
    const second = await buy('13800000041', r.offers[0]!.id)
    expect(second.orderId).not.toBe(first.orderId)
    expect(fakeStripe.state.sessions.get(first.url.split('/').pop()!)!.status).toBe('expired')
    expect(await prisma.order.findUniqueOrThrow({ where: { id: first.orderId } })).toMatchObject({ status: 'FAILED' })
  })

  it('an order we had marked failed whose session Stripe then reports paid is granted, not kept silently', async () => {
    const r = await premiumResource('力与运动 精品课（失败后付款）', [PERSONAL])
    const { orderId, url } = await buy('13800000041', r.offers[0]!.id)
    await prisma.order.update({ where: { id: orderId }, data: { status: 'FAILED', openKey: null } })
    await payOnFake(fakeStripe, url, 'card')
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'PAID')
    expect(await prisma.licence.count({ where: { orderItem: { orderId } } })).toBe(1)
  })

  it('an inquiry (warning_needs_response) suspends nothing and books nothing; warning_closed leaves the licence active', async () => {
    const r = await premiumResource('力与运动 精品课（问询）', [PERSONAL])
    const orderId = await paidOrder(MARKET_PHONES.csTeacher, r.offers[0]!.id)
    const buyer = await actorByPhone(MARKET_PHONES.csTeacher)
    const chargeId = (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).chargeId!
    // An inquiry: the fake opens it as warning_needs_response and delivers charge.dispute.created.
    const opened = (await (
      await fetch(`${fakeStripe.url}/_fake/charges/${chargeId}/dispute`, {
        method: 'POST',
        body: 'status=warning_needs_response',
      })
    ).json()) as { dispute: { id: string } }
    const d = fakeStripe.state.disputes.get(opened.dispute.id)!
    await until(
      async () =>
        (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).disputeStatus === 'warning_needs_response',
    )
    expect(await contentGrant(buyer, r.id)).toBe('full')
    d.status = 'warning_closed'
    await fakeStripe.deliver(fakeStripe.event('charge.dispute.closed', d))
    await until(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).disputeStatus === 'won')
    expect(await contentGrant(buyer, r.id)).toBe('full')
    expect(await ledgerOf(orderId)).toMatchObject({ buyer: -4900, provider: 4410, fee: 490 })
    expect(await prisma.ledgerEntry.count({ where: { orderId, kind: { in: ['DISPUTE', 'DISPUTE_WON'] } } })).toBe(0)
  })
})
