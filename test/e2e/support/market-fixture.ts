/**
 * The e2e marketplace's premium material, run by test/e2e/market.test.ts with the e2e server's
 * environment: a 75-second micro-lecture video and a 5-page PDF of the demo provider 韩雪, put
 * through the real ingest path (bytes into storage, finish, the running workers transcode and
 * render them), then — once processed — published as premium with a personal and a 20-seat school
 * price. Prints JSON.
 *   tsx test/e2e/support/market-fixture.ts make       → {"video": id, "pdf": id}
 *   tsx test/e2e/support/market-fixture.ts wait <video> <pdf>       (until processed)
 *   tsx test/e2e/support/market-fixture.ts publish <video> <pdf>
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import PDFDocument from 'pdfkit'
import { prisma } from '../../../app/lib/db.server.ts'
import { createSession, getActorForSession } from '../../../app/services/auth/sessions.server.ts'
import { sniff, SNIFF_BYTES } from '../../../app/services/media/sniff.server.ts'
import { setOffer } from '../../../app/services/market/offers.server.ts'
import { startUpload } from '../../../app/services/uploads/start-upload.server.ts'
import { acceptSniffed, finishUpload } from '../../../app/services/uploads/tus-gate.server.ts'
import { CJK_FONT } from '../../../app/services/market/receipt.server.ts'
import { ffmpeg } from '../../../scripts/lib/demo-media.ts'
import { storage } from '../../../storage/index.ts'

const PROVIDER = '13800000005'

async function provider() {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone: PROVIDER } })
  return (await getActorForSession(await createSession(user.id, { ip: '127.0.0.1' })))!
}

function pdfBytes(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' })
  doc.font(CJK_FONT.path, CJK_FONT.face)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  for (let i = 1; i <= 5; i++) {
    if (i > 1) doc.addPage()
    doc.fontSize(26).text(`力与运动 精品讲义`, { align: 'center' }).moveDown()
    doc
      .fontSize(18)
      .text(`第 ${i} 页：牛顿第${'一二三'[Math.min(i, 3) - 1]}定律与例题精讲`)
      .moveDown()
    doc.fontSize(12).text('例题：质量为 2 kg 的物体在水平拉力作用下做匀加速直线运动……'.repeat(6))
  }
  doc.end()
  return done
}

async function make() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-market-'))
  const video = path.join(dir, 'lesson.mp4')
  // 75 s: long enough that the 60-second preview ends before the video does.
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=426x240:rate=15:duration=75',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=75',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    video,
  )
  const actor = await provider()
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { slug: 'hunan' },
    select: { id: true, path: true },
  })
  const put = async (bytes: Buffer, name: string, title: string, type: string) => {
    const { resourceId, fileId } = await startUpload(actor, platform, { name, size: bytes.length })
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
    await acceptSniffed(fileId, sniff(bytes.subarray(0, SNIFF_BYTES)))
    await storage.put(f.storageKey!, bytes, { size: bytes.length })
    await finishUpload(fileId, createHash('sha256').update(bytes).digest('hex'))
    await prisma.resource.update({
      where: { id: resourceId },
      data: { title, resourceType: type, description: `${title}：配套例题与讲解。` },
    })
    return resourceId
  }
  const ids = {
    video: await put(
      fs.readFileSync(video),
      '力与运动精品课.mp4',
      '高考物理 力与运动 精品微课（购买测试）',
      'MICRO_LECTURE',
    ),
    pdf: await put(await pdfBytes(), '力与运动讲义.pdf', '高考物理 力与运动 精品讲义（购买测试）', 'STUDY_GUIDE'),
  }
  console.log(JSON.stringify(ids))
}

async function publish(ids: string[]) {
  const actor = await provider()
  for (const id of ids) {
    await prisma.resource.update({
      where: { id },
      data: { status: 'PUBLISHED', publishedAt: new Date(), licence: 'PREMIUM', priceCents: 4900 },
    })
    await setOffer(actor, id, {
      scope: 'PERSONAL',
      term: 'PERPETUAL',
      price: '49',
      uses: ['CLASSROOM', 'PRINT_COPIES'],
    })
    await setOffer(actor, id, {
      scope: 'SCHOOL',
      term: 'ONE_YEAR',
      seats: '20',
      price: '980',
      uses: ['CLASSROOM', 'PRINT_COPIES', 'SCHOOL_SHARING'],
    })
  }
  // The provider can take payments (as after Connect onboarding; the onboarding page has its own test).
  await prisma.providerAccount.upsert({
    where: { userId: actor.userId },
    create: {
      userId: actor.userId,
      stripeAccountId: 'acct_test_e2e_provider',
      detailsSubmitted: true,
      chargesEnabled: true,
      payoutsEnabled: true,
    },
    update: { chargesEnabled: true },
  })
  console.log(JSON.stringify({ ok: true }))
}

/** Until the workers have processed every file of these resources (or one failed). */
async function wait(ids: string[]) {
  const end = Date.now() + 240_000
  for (;;) {
    const files = await prisma.resourceFile.findMany({ where: { resourceId: { in: ids } }, select: { status: true } })
    if (files.some((f) => f.status === 'FAILED' || f.status === 'REJECTED')) throw new Error('processing failed')
    if (files.length && files.every((f) => f.status === 'READY')) break
    if (Date.now() > end) throw new Error('processing did not finish in time')
    await new Promise((r) => setTimeout(r, 500))
  }
  console.log(JSON.stringify({ ok: true }))
}

const [cmd, ...rest] = process.argv.slice(2)
if (cmd === 'make') await make()
else if (cmd === 'wait') await wait(rest)
else if (cmd === 'publish') await publish(rest)
else throw new Error('usage: market-fixture.ts make | publish <ids…>')
await prisma.$disconnect()
process.exit(0)
