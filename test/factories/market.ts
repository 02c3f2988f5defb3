/** Marketplace test data through the real services: a provider able to sell, a priced premium
 * resource, a school teacher; and a buyer's trip through the fake's payment page. */
import { prisma } from '~/lib/db.server.ts'
import { startCheckout } from '~/services/market/checkout.server.ts'
import { setOffer, type OfferInput } from '~/services/market/offers.server.ts'
import type { FakeStripe } from '../../scripts/fake-stripe/server.ts'
import { actorByPhone, platformBySlug } from './index.ts'
import { mediaResource } from './media-fixture.ts'

export const MARKET_PHONES = {
  provider: '13800000005',
  operator: '13800000003',
  regulator: '13800000004',
  purchaser: '13800000013',
  csTeacher: '13800000015',
  csTeacher2: '13800000016',
} as const

/** The demo provider with a connected account that may take charges (as after onboarding). */
export async function readyProvider(fake: FakeStripe) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone: MARKET_PHONES.provider } })
  const res = await fetch(`${fake.url}/v1/accounts`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_factory', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'type=express&country=CN',
  })
  const account = (await res.json()) as { id: string }
  await prisma.providerAccount.upsert({
    where: { userId: user.id },
    create: {
      userId: user.id,
      stripeAccountId: account.id,
      detailsSubmitted: true,
      chargesEnabled: true,
      payoutsEnabled: true,
    },
    update: {},
  })
  return { user, accountId: account.id }
}

/** A published premium video or document of the provider on the province, with offers. */
export async function premiumResource(
  title: string,
  offers: OfferInput[],
  kind: 'VIDEO' | 'DOCUMENT' = 'VIDEO',
  length?: number,
) {
  const r = await mediaResource({
    phone: MARKET_PHONES.provider,
    slug: 'hunan',
    title,
    kind,
    licence: 'PREMIUM',
    length,
  })
  const provider = await actorByPhone(MARKET_PHONES.provider)
  const made = []
  for (const o of offers) made.push(await setOffer(provider, r.id, o))
  return { ...r, offers: made }
}

export const PERSONAL: OfferInput = { scope: 'PERSONAL', term: 'PERPETUAL', price: '49.00', uses: ['CLASSROOM'] }
export const SCHOOL_20: OfferInput = {
  scope: 'SCHOOL',
  term: 'ONE_YEAR',
  seats: '20',
  price: '980',
  uses: ['CLASSROOM', 'SCHOOL_SHARING'],
}

/** Pays a session on the fake's payment page as a buyer would (card: paid at once; Alipay and
 * WeChat Pay: checkout complete, money later). Returns the fake's session. */
export async function payOnFake(
  fake: FakeStripe,
  checkoutUrl: string,
  method: 'card' | 'alipay' | 'wechat_pay' = 'card',
) {
  const res = await fetch(checkoutUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `method=${method}`,
  })
  if (res.status !== 303) throw new Error(`fake payment page answered ${res.status}`)
  const id = checkoutUrl.split('/').pop()!
  return fake.state.sessions.get(id)!
}

export async function schoolId(slug = 'cs-yizhong') {
  return (await platformBySlug(slug)).id
}

/** Buys through the real checkout and pays by card on the fake; resolves once the webhook made it PAID. */
export async function buyAndPay(
  fake: FakeStripe,
  portalUrl: string,
  phone: string,
  offerId: string,
  licenseePlatformId?: string,
) {
  const portal = await platformBySlug(new URL(portalUrl).pathname.split('/')[2] ?? 'hunan')
  const { orderId, url } = await startCheckout(
    await actorByPhone(phone),
    { offerId, licenseePlatformId },
    portal,
    portalUrl,
  )
  await payOnFake(fake, url, 'card')
  const end = Date.now() + 20_000
  while ((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status !== 'PAID') {
    if (Date.now() > end) throw new Error(`order ${orderId} not paid in time`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return orderId
}
