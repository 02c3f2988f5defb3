/**
 * What a licence gives and to whom, after a real purchase through the fake Stripe: school seats
 * (assigned only to the school's teachers, never past the number bought, reclaimed at once), a
 * whole-school licence, a region licence; the watermarked download; the receipt; the 发票 request.
 */
import { fakeStripe } from '../support/fake-stripe.ts'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import PDFDocument from 'pdfkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { downloadResource } from '~/services/engagement/usage.server.ts'
import { coverageFor } from '~/services/market/licences.server.ts'
import { requestInvoice } from '~/services/market/invoices.server.ts'
import { orderForViewer } from '~/services/market/orders.server.ts'
import { receiptPdf } from '~/services/market/receipt.server.ts'
import { assignSeats, reclaimSeat, schoolLicences } from '~/services/market/school-licences.server.ts'
import { CJK_FONT } from '~/services/market/receipt.server.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { actorByPhone, platformBySlug, seedDemo } from '../factories/index.ts'
import { startTestServer } from '../factories/http.ts'
import { buyAndPay, MARKET_PHONES, PERSONAL, premiumResource, readyProvider, SCHOOL_20 } from '../factories/market.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let portalUrl: string

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  fakeStripe.setWebhookUrl(`${server.base}/webhooks/stripe`)
  await readyProvider(fakeStripe)
  portalUrl = `${server.base}/p/hunan`
})

afterAll(async () => {
  await server?.close()
  await fakeStripe.close()
})

const pdfText = (bytes: Uint8Array) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'erc-pdf-')), 'x.pdf')
  fs.writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

/** A real 5-page PDF with Chinese text, as the document's stored original. */
async function storePdf(r: { id: string; fileId: string; platformId: string }) {
  const doc = new PDFDocument({ size: 'A4' })
  doc.font(CJK_FONT.path, CJK_FONT.face)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  for (let i = 1; i <= 5; i++) {
    if (i > 1) doc.addPage()
    doc.fontSize(18).text(`中考数学压轴题 第 ${i} 页`)
  }
  doc.end()
  const bytes = await done
  const key = objectKeys.original({ platformId: r.platformId, resourceId: r.id, fileId: r.fileId })
  await storage.put(key, bytes, { size: bytes.length })
  await prisma.resourceFile.update({
    where: { id: r.fileId },
    data: { storageKey: key, originalName: '压轴题精讲.pdf' },
  })
  return bytes
}

describe('a school licence with seats', () => {
  it('covers only the teachers its purchaser assigns, refuses other schools and a full licence, and reclaims at once', async () => {
    const r = await premiumResource('中考物理 力学专题（学校席位）', [{ ...SCHOOL_20, seats: '1' }])
    const school = await platformBySlug('cs-yizhong')
    await buyAndPay(fakeStripe, portalUrl, MARKET_PHONES.purchaser, r.offers[0]!.id, school.id)
    const purchaser = await actorByPhone(MARKET_PHONES.purchaser)
    const [licence] = await schoolLicences(purchaser, school)
    expect(licence).toMatchObject({ seats: 1, status: 'ACTIVE' })
    const t1 = await actorByPhone(MARKET_PHONES.csTeacher)
    const t2 = await actorByPhone(MARKET_PHONES.csTeacher2)
    expect(await coverageFor(t1.userId, r.id)).toBeNull()

    const lines = await assignSeats(purchaser, licence!.id, [
      MARKET_PHONES.csTeacher,
      '13800000033', // 陈晓梅: a teacher of another school
      '13900000000', // nobody
      MARKET_PHONES.csTeacher2, // a second seat of a one-seat licence
      MARKET_PHONES.csTeacher, // again
    ])
    expect(lines.map((l) => l.message)).toEqual([
      'market.seat.assigned',
      'market.seat.otherSchool',
      'market.seat.unknownUser',
      'market.seat.full',
      'market.seat.already',
    ])
    expect((await coverageFor(t1.userId, r.id))?.seat).toBe(true)
    expect(await coverageFor(t2.userId, r.id)).toBeNull()
    expect(await coverageFor((await actorByPhone('13800000033')).userId, r.id)).toBeNull()

    await reclaimSeat(purchaser, licence!.id, t1.userId)
    expect(await coverageFor(t1.userId, r.id)).toBeNull()
    // Another school's purchaser (none exists: a teacher) cannot see or touch the licence.
    await expect(assignSeats(t2, licence!.id, [MARKET_PHONES.csTeacher2])).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('whole school: every teacher of the school, not its students or other schools', async () => {
    const r = await premiumResource('中考物理 电学专题（全校）', [{ ...SCHOOL_20, seats: '' }])
    const school = await platformBySlug('cs-yizhong')
    await buyAndPay(fakeStripe, portalUrl, MARKET_PHONES.purchaser, r.offers[0]!.id, school.id)
    for (const phone of [MARKET_PHONES.csTeacher, MARKET_PHONES.csTeacher2])
      expect((await coverageFor((await actorByPhone(phone)).userId, r.id))?.scope).toBe('SCHOOL')
    expect(await coverageFor((await actorByPhone('13800000014')).userId, r.id)).toBeNull()
    // The purchaser herself is no teacher.
    expect(await coverageFor((await actorByPhone(MARKET_PHONES.purchaser)).userId, r.id)).toBeNull()
  })
})

describe('a region licence', () => {
  it('bought by the county admin covers every teacher below the county and nobody outside it', async () => {
    const r = await premiumResource('醴陵区域采购 数学专题', [
      { scope: 'REGION', term: 'ONE_YEAR', price: '9800', uses: ['CLASSROOM'] },
    ])
    const liling = await platformBySlug('liling')
    await buyAndPay(fakeStripe, portalUrl, '13800000031', r.offers[0]!.id, liling.id)
    for (const phone of ['13800000033', '13800000034'])
      expect((await coverageFor((await actorByPhone(phone)).userId, r.id))?.scope).toBe('REGION')
    for (const phone of ['13800000041', MARKET_PHONES.csTeacher, '13800000035'])
      expect(await coverageFor((await actorByPhone(phone)).userId, r.id), phone).toBeNull()
    const licence = await prisma.licence.findFirstOrThrow({ where: { resources: { some: { resourceId: r.id } } } })
    // One year from payment.
    expect(licence.endsAt!.getTime() - licence.startsAt.getTime()).toBe(365 * 24 * 3600_000)
  })

  it('cannot be bought by a county admin for another county, nor by a teacher', async () => {
    const r = await premiumResource('区域采购 越权测试', [
      { scope: 'REGION', term: 'ONE_YEAR', price: '9800', uses: ['CLASSROOM'] },
    ])
    const { startCheckout } = await import('~/services/market/checkout.server.ts')
    const hunan = await platformBySlug('hunan')
    const xiangtanxian = await platformBySlug('xiangtanxian')
    const admin = await actorByPhone('13800000031')
    await expect(
      startCheckout(admin, { offerId: r.offers[0]!.id, licenseePlatformId: xiangtanxian.id }, hunan, portalUrl),
    ).rejects.toMatchObject({ messageKey: 'market.error.notRegionBuyer' })
    await expect(
      startCheckout(
        await actorByPhone('13800000033'),
        { offerId: r.offers[0]!.id, licenseePlatformId: (await platformBySlug('liling')).id },
        hunan,
        portalUrl,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await prisma.order.count({ where: { items: { some: { offerId: r.offers[0]!.id } } } })).toBe(0)
  })
})

describe('a licensed document', () => {
  it('downloads as its PDF stamped with the licensee and the order number on every page; the stored original is unchanged', async () => {
    const r = await premiumResource('中考数学压轴题精讲', [PERSONAL], 'DOCUMENT', 5)
    const original = await storePdf(r)
    const orderId = await buyAndPay(fakeStripe, portalUrl, MARKET_PHONES.csTeacher, r.offers[0]!.id)
    const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } })
    const buyer = await actorByPhone(MARKET_PHONES.csTeacher)
    const download = await downloadResource(buyer, r.id, await platformBySlug('hunan'))
    expect('watermarked' in download).toBe(true)
    const stamped = (download as { watermarked: Uint8Array; name: string }).watermarked
    const pages = pdfText(stamped)
      .split('\f')
      .filter((p) => p.trim())
    expect(pages).toHaveLength(5)
    for (const [i, page] of pages.entries()) {
      expect(page, `page ${i + 1}`).toContain(`第 ${i + 1} 页`)
      expect(page.replace(/\s+/g, ''), `page ${i + 1}`).toContain(`授权给刘洋`)
      expect(page, `page ${i + 1}`).toContain(order.number)
    }
    const key = (await prisma.resourceFile.findUniqueOrThrow({ where: { id: r.fileId } })).storageKey!
    const stored: Buffer[] = []
    for await (const c of await storage.get(key)) stored.push(c as Buffer)
    expect(Buffer.concat(stored).equals(original)).toBe(true)
    // The owner gets the original itself.
    const owner = await downloadResource(
      await actorByPhone(MARKET_PHONES.provider),
      r.id,
      await platformBySlug('hunan'),
    )
    expect('url' in owner).toBe(true)
    // Without a licence: nothing.
    await expect(
      downloadResource(await actorByPhone(MARKET_PHONES.csTeacher2), r.id, await platformBySlug('hunan')),
    ).rejects.toMatchObject({ messageKey: 'resource.error.premiumNeedsLicence' })
  })
})

describe('receipts and invoices', () => {
  it('prints a Chinese receipt, and takes an invoice request only with a valid unified social credit code', async () => {
    const r = await premiumResource('中考化学 实验专题（发票）', [PERSONAL])
    const orderId = await buyAndPay(fakeStripe, portalUrl, MARKET_PHONES.csTeacher2, r.offers[0]!.id)
    const buyer = await actorByPhone(MARKET_PHONES.csTeacher2)
    const order = await orderForViewer(buyer, orderId)
    const text = pdfText(await receiptPdf(order))
    expect(text).toContain('收据')
    expect(text).toContain(order.number)
    expect(text).toContain('¥49.00')
    await expect(
      requestInvoice(buyer, orderId, { title: '长沙市第一中学', taxNumber: '91350100M000100Y44' }),
    ).rejects.toMatchObject({ fields: { taxNumber: 'market.error.taxNumber' } })
    await expect(requestInvoice(buyer, orderId, { title: '', taxNumber: '' })).rejects.toMatchObject({
      fields: { title: 'market.error.invoiceTitle', taxNumber: 'market.error.taxNumber' },
    })
    // Someone else's order is not found.
    await expect(
      requestInvoice(await actorByPhone(MARKET_PHONES.csTeacher), orderId, {
        title: '长沙市第一中学',
        taxNumber: '91350100M000100Y43',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await requestInvoice(buyer, orderId, { title: '长沙市第一中学', taxNumber: '9135 0100 m000 100y43' })
    expect(await prisma.invoiceRequest.findUniqueOrThrow({ where: { orderId } })).toMatchObject({
      taxNumber: '91350100M000100Y43',
      status: 'REQUESTED',
    })
    await expect(
      requestInvoice(buyer, orderId, { title: '长沙市第一中学', taxNumber: '91350100M000100Y43' }),
    ).rejects.toMatchObject({ messageKey: 'market.error.invoiceExists' })
  })
})
