/**
 * Who a school or region licence covers, after the review of the marketplace (seen failing before
 * the fix): only teachers who teach there now. A teacher who moved to another school keeps nothing
 * of the old school's licences (whole-school or seat), a member or student whose home is the school
 * is covered by nothing, and a checkout on a portal that does not show the resource is refused.
 */
import { fakeStripe } from '../support/fake-stripe.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { startCheckout } from '~/services/market/checkout.server.ts'
import { coverageFor } from '~/services/market/licences.server.ts'
import { assignSeats } from '~/services/market/school-licences.server.ts'
import { actorByPhone, platformBySlug, seedDemo } from '../factories/index.ts'
import { startTestServer } from '../factories/http.ts'
import { mediaResource } from '../factories/media-fixture.ts'
import { buyAndPay, MARKET_PHONES, premiumResource, readyProvider, SCHOOL_20 } from '../factories/market.ts'

let server: Awaited<ReturnType<typeof startTestServer>>

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
  await readyProvider(fakeStripe)
})

afterAll(async () => {
  await server?.close()
  await fakeStripe.close()
})

/** The teacher now teaches at 醴陵一中 only; her account's home stays 长沙一中. */
async function moveToAnotherSchool(phone: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone } })
  const ll = await platformBySlug('ll-yizhong')
  await prisma.roleAssignment.deleteMany({ where: { userId: user.id, role: 'TEACHER' } })
  await prisma.roleAssignment.create({ data: { userId: user.id, platformId: ll.id, role: 'TEACHER' } })
  return user.id
}

describe('school licences cover the school’s teachers of today', () => {
  it('not a teacher who moved to another school (whole-school or seat), nor a member whose home is the school', async () => {
    const school = await platformBySlug('cs-yizhong')
    const whole = await premiumResource('覆盖范围 全校', [{ ...SCHOOL_20, seats: '' }])
    const seated = await premiumResource('覆盖范围 席位', [SCHOOL_20])
    await buyAndPay(fakeStripe, `${server.base}/p/hunan`, MARKET_PHONES.purchaser, whole.offers[0]!.id, school.id)
    await buyAndPay(fakeStripe, `${server.base}/p/hunan`, MARKET_PHONES.purchaser, seated.offers[0]!.id, school.id)
    const licence = await prisma.licence.findFirstOrThrow({ where: { resources: { some: { resourceId: seated.id } } } })
    await assignSeats(await actorByPhone(MARKET_PHONES.purchaser), licence.id, [MARKET_PHONES.csTeacher2])
    const moved = (await actorByPhone(MARKET_PHONES.csTeacher2)).userId
    expect((await coverageFor(moved, whole.id))?.scope).toBe('SCHOOL')
    expect((await coverageFor(moved, seated.id))?.seat).toBe(true)

    await moveToAnotherSchool(MARKET_PHONES.csTeacher2)
    expect(await coverageFor(moved, whole.id)).toBeNull()
    expect(await coverageFor(moved, seated.id)).toBeNull()

    // A self-registered member whose home is the school, who teaches somewhere else entirely.
    const member = await prisma.user.create({
      data: {
        displayName: '长沙一中注册用户',
        phone: '13800000093',
        passwordHash: 'x',
        homePlatformId: school.id,
        roles: {
          create: [
            { platformId: school.id, role: 'MEMBER' },
            { platformId: (await platformBySlug('liling')).id, role: 'TEACHER' },
          ],
        },
      },
    })
    expect(await coverageFor(member.id, whole.id)).toBeNull()
  })
})

describe('a checkout', () => {
  it('is refused on a portal that does not show the resource', async () => {
    const r = await mediaResource({
      phone: MARKET_PHONES.provider,
      slug: 'liling',
      title: '醴陵可见 付费课',
      kind: 'VIDEO',
      licence: 'PREMIUM',
    })
    const provider = await prisma.user.findUniqueOrThrow({ where: { phone: MARKET_PHONES.provider } })
    const offer = await prisma.offer.create({
      data: {
        resourceId: r.id,
        sellerId: provider.id,
        scope: 'PERSONAL',
        term: 'PERPETUAL',
        priceFen: 100,
        uses: ['CLASSROOM'],
      },
    })
    const xiangtanxian = await platformBySlug('xiangtanxian')
    await expect(
      startCheckout(
        await actorByPhone('13800000041'),
        { offerId: offer.id },
        xiangtanxian,
        `${server.base}/p/xiangtanxian`,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await prisma.order.count({ where: { items: { some: { offerId: offer.id } } } })).toBe(0)
  })
})
