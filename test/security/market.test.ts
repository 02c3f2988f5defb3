/**
 * The marketplace's authorisation, in the service and over HTTP: every money action tried by
 * every kind of person (a teacher; the purchaser of this school and of another; the provider; the
 * trading operator; the regulator; the admin of this county and of another), and every new page,
 * API and the webhook tried by outsiders. Each cell of the matrix is what the service answers.
 */
import { fakeStripe } from '../support/fake-stripe.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import type { Actor } from '~/services/authorization.server.ts'
import { marketBooks, setFeeRate } from '~/services/market/books.server.ts'
import { startCheckout } from '~/services/market/checkout.server.ts'
import { issueInvoice, requestInvoice } from '~/services/market/invoices.server.ts'
import { setOffer } from '~/services/market/offers.server.ts'
import { orderForViewer } from '~/services/market/orders.server.ts'
import { onboardingLink, providerSales } from '~/services/market/providers.server.ts'
import { refundOrder } from '~/services/market/refunds.server.ts'
import { assignSeats, schoolLicences } from '~/services/market/school-licences.server.ts'
import { actorByPhone, DEMO_PASSWORD, outcomeOf, platformBySlug, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { buyAndPay, MARKET_PHONES, PERSONAL, premiumResource, readyProvider, SCHOOL_20 } from '../factories/market.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
const OTHER_PURCHASER = '13800000091'
const OTHER_COUNTY_ADMIN = '13800000092'
const WHO = {
  teacher: MARKET_PHONES.csTeacher,
  purchaser: MARKET_PHONES.purchaser,
  otherPurchaser: OTHER_PURCHASER,
  provider: MARKET_PHONES.provider,
  operator: MARKET_PHONES.operator,
  regulator: MARKET_PHONES.regulator,
  countyAdmin: '13800000031',
  otherCountyAdmin: OTHER_COUNTY_ADMIN,
} as const
type Who = keyof typeof WHO
const actors = {} as Record<Who, Actor>
let fixture: {
  resourceId: string
  schoolOffer: string
  regionOffer: string
  orderId: string
  schoolLicence: string
  invoiceId: string
}

async function person(phone: string, name: string, slug: string, role: 'SCHOOL_PURCHASER' | 'PLATFORM_ADMIN') {
  const platform = await platformBySlug(slug)
  const like = await prisma.user.findUniqueOrThrow({ where: { phone: MARKET_PHONES.purchaser } })
  const u = await prisma.user.create({
    data: { displayName: name, phone, passwordHash: like.passwordHash, homePlatformId: platform.id },
  })
  await prisma.roleAssignment.create({ data: { userId: u.id, platformId: platform.id, role } })
}

beforeAll(async () => {
  await seedDemo()
  await person(OTHER_PURCHASER, '醴陵一中采购', 'll-yizhong', 'SCHOOL_PURCHASER')
  await person(OTHER_COUNTY_ADMIN, '攸县管理员', 'youxian', 'PLATFORM_ADMIN')
  server = await startTestServer()
  fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
  await readyProvider(fakeStripe)
  for (const [k, phone] of Object.entries(WHO)) actors[k as Who] = await actorByPhone(phone)
  const r = await premiumResource('权限矩阵 精品课', [
    PERSONAL,
    SCHOOL_20,
    { scope: 'REGION', term: 'ONE_YEAR', price: '9800', uses: ['CLASSROOM'] },
  ])
  const school = await platformBySlug('cs-yizhong')
  const orderId = await buyAndPay(
    fakeStripe,
    `${server.base}/p/hunan`,
    MARKET_PHONES.purchaser,
    r.offers[1]!.id,
    school.id,
  )
  const licence = await prisma.licence.findFirstOrThrow({ where: { orderItem: { orderId } } })
  const invoice = await requestInvoice(actors.purchaser, orderId, {
    title: '长沙市第一中学',
    taxNumber: '91350100M000100Y43',
  })
  fixture = {
    resourceId: r.id,
    schoolOffer: r.offers[1]!.id,
    regionOffer: r.offers[2]!.id,
    orderId,
    schoolLicence: licence.id,
    invoiceId: invoice.id,
  }
})

afterAll(async () => {
  await server?.close()
  await fakeStripe.close()
})

describe('every money action × every kind of person', () => {
  it('answers as the matrix says (OK, FORBIDDEN, NOT_FOUND, CONFLICT…), and writes nothing when it refuses', async () => {
    const hunan = await platformBySlug('hunan')
    const liling = await platformBySlug('liling')
    const school = await platformBySlug('cs-yizhong')
    const portalUrl = `${server.base}/p/hunan`
    const actions: Record<string, (a: Actor) => Promise<unknown>> = {
      price: (a) =>
        setOffer(a, fixture.resourceId, { scope: 'PERSONAL', term: 'ONE_YEAR', price: '19.9', uses: ['CLASSROOM'] }),
      buyForSchool: (a) =>
        startCheckout(a, { offerId: fixture.schoolOffer, licenseePlatformId: school.id }, hunan, portalUrl),
      buyForRegion: (a) =>
        startCheckout(a, { offerId: fixture.regionOffer, licenseePlatformId: liling.id }, hunan, portalUrl),
      seeSchoolLicences: (a) => schoolLicences(a, school),
      assignSeat: (a) => assignSeats(a, fixture.schoolLicence, [MARKET_PHONES.csTeacher2]),
      seeOrder: (a) => orderForViewer(a, fixture.orderId),
      refund: (a) => refundOrder(a, fixture.orderId, { amount: '0.01', itemIds: [] }),
      feeRate: (a) => setFeeRate(a, liling.id, '12'),
      issueInvoice: (a) => issueInvoice(a, fixture.invoiceId, 'bad'),
      booksProvince: (a) => marketBooks(a, hunan, { from: new Date(0), to: new Date(Date.now() + 86_400_000) }),
      booksCounty: (a) => marketBooks(a, liling, { from: new Date(0), to: new Date(Date.now() + 86_400_000) }),
      sales: (a) => providerSales(a, hunan, { from: new Date(0), to: new Date() }),
      onboard: (a) => onboardingLink(a, hunan, portalUrl),
    }
    // What each may do. VALIDATION where the person is allowed and the input (a refund without
    // items, an invoice number "bad") is what stops it, so that no cell changes money here.
    const F = 'FORBIDDEN'
    const N = 'NOT_FOUND'
    const expected: Record<string, Record<Who, string>> = {
      price: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: 'OK',
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      buyForSchool: {
        teacher: F,
        purchaser: 'CONFLICT',
        otherPurchaser: F,
        provider: 'CONFLICT',
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      buyForRegion: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: 'CONFLICT',
        operator: F,
        regulator: F,
        countyAdmin: 'OK',
        otherCountyAdmin: F,
      },
      seeSchoolLicences: {
        teacher: F,
        purchaser: 'OK',
        otherPurchaser: F,
        provider: F,
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      assignSeat: {
        teacher: F,
        purchaser: 'OK',
        otherPurchaser: F,
        provider: F,
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      seeOrder: {
        teacher: N,
        purchaser: 'OK',
        otherPurchaser: N,
        provider: N,
        operator: 'OK',
        regulator: 'OK',
        countyAdmin: N,
        otherCountyAdmin: N,
      },
      refund: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: F,
        operator: 'VALIDATION',
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      feeRate: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: F,
        operator: 'OK',
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      issueInvoice: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: F,
        operator: 'VALIDATION',
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      booksProvince: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: F,
        operator: 'OK',
        regulator: 'OK',
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      booksCounty: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: F,
        operator: 'OK',
        regulator: 'OK',
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      sales: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: 'OK',
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
      onboard: {
        teacher: F,
        purchaser: F,
        otherPurchaser: F,
        provider: 'OK',
        operator: F,
        regulator: F,
        countyAdmin: F,
        otherCountyAdmin: F,
      },
    }
    const got: Record<string, Record<string, string>> = {}
    for (const [name, run] of Object.entries(actions)) {
      got[name] = {}
      for (const who of Object.keys(WHO) as Who[]) got[name]![who] = await outcomeOf(run(actors[who]))
    }
    expect(got).toEqual(expected)
    // The refusals wrote nothing: one order (the fixture's) plus the county admin's checkout, no
    // refund, the invoice still waiting.
    expect(await prisma.refund.count()).toBe(0)
    expect(await prisma.invoiceRequest.findUniqueOrThrow({ where: { id: fixture.invoiceId } })).toMatchObject({
      status: 'REQUESTED',
    })
    expect(await prisma.order.count()).toBe(2)
    expect(await prisma.licenceSeat.count({ where: { licenceId: fixture.schoolLicence } })).toBe(1)
  })

  it('refuses a purchase of one’s own resource and a licence for a taken-down resource', async () => {
    const hunan = await platformBySlug('hunan')
    const r = await premiumResource('权限矩阵 下架后', [PERSONAL])
    await expect(
      startCheckout(actors.provider, { offerId: r.offers[0]!.id }, hunan, server.base),
    ).rejects.toMatchObject({
      messageKey: 'market.error.ownResource',
    })
    await prisma.resource.update({ where: { id: r.id }, data: { status: 'TAKEN_DOWN' } })
    // Taken down: shown nowhere, so not found (and nothing for sale).
    await expect(startCheckout(actors.teacher, { offerId: r.offers[0]!.id }, hunan, server.base)).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    )
  })
})

describe('the marketplace over HTTP', () => {
  it('keeps its pages, exports and receipts from outsiders, and its API from the signed-out', async () => {
    const anon = new Browser(server.base)
    const teacher = new Browser(server.base)
    await teacher.signIn('hunan', MARKET_PHONES.csTeacher, DEMO_PASSWORD)
    const pages = [
      '/p/hunan/market',
      '/p/hunan/market.csv',
      '/p/cs-yizhong/licences',
      '/p/hunan/sales',
      '/p/hunan/sales.csv',
      `/p/hunan/orders/${fixture.orderId}`,
      `/p/hunan/orders/${fixture.orderId}/receipt`,
    ]
    for (const p of pages) {
      expect([302, 303], `anonymous ${p}`).toContain((await anon.get(p)).status)
      expect([403, 404], `teacher ${p}`).toContain((await teacher.get(p)).status)
    }
    const token = await anon.csrfToken('/p/hunan/login')
    const buy = await anon.post('/p/hunan/api/market', { _csrf: token, intent: 'buy', offerId: fixture.schoolOffer })
    expect(buy.status).toBe(401)
    // Without the CSRF token, even a signed-in teacher's request is refused.
    const noCsrf = await teacher.post('/p/hunan/api/market', { intent: 'buy', offerId: fixture.schoolOffer })
    expect(noCsrf.status).toBe(403)
  })

  it('lets the operator and the regulator read the books and the CSV, and the regulator change nothing', async () => {
    const regulator = new Browser(server.base)
    await regulator.signIn('hunan', MARKET_PHONES.regulator, DEMO_PASSWORD)
    const page = await regulator.get('/p/hunan/market')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('交易监管者')
    expect(html).not.toContain('name="intent" value="refund"')
    const csv = await regulator.get('/p/hunan/market.csv')
    expect(csv.status).toBe(200)
    expect(await csv.text()).toContain(
      (await prisma.order.findUniqueOrThrow({ where: { id: fixture.orderId } })).number,
    )
    const token = await regulator.csrfToken('/p/hunan/market')
    const refund = await regulator.post('/p/hunan/market', { _csrf: token, intent: 'refund', orderId: fixture.orderId })
    expect(refund.status).toBe(403)
    expect(await prisma.refund.count()).toBe(0)
  })

  it('refuses a webhook without a valid signature', async () => {
    const ev = fakeStripe.event('checkout.session.completed', { id: 'cs_test_forged', object: 'checkout.session' })
    const res = await fetch(`${server.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=forged' },
      body: JSON.stringify(ev),
    })
    expect(res.status).toBe(400)
    expect(await fakeStripe.deliver(ev, { secret: 'whsec_not_ours_0123456789' })).toBe(400)
    const huge = await fetch(`${server.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' },
      body: 'x'.repeat(600_000),
    })
    expect(huge.status).toBe(413)
    expect(await prisma.stripeEvent.count({ where: { id: ev.id } })).toBe(0)
  })
})
