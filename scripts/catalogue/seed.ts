/**
 * Demo catalogue: the hand-written resources, each with real generated content that the
 * workers process like any upload (scripts/catalogue/demo-content.ts), plus generated ones
 * across the textbooks; all published, with a cover card where a resource has no picture of its
 * own (workers/jobs/cover.ts), and indexed through the real reindex path. Each step runs once:
 * what is already there is not made, queued or processed again.
 *
 *   tsx scripts/catalogue/seed.ts [generated=2000]          the catalogue, indexed now (the e2e set-up;
 *                                                          main files are metadata-only stand-ins)
 *   tsx scripts/catalogue/seed.ts [generated=2000] --demo   also the real content and the covers,
 *                                                          queued for the workers (npm run demo)
 *   tsx scripts/catalogue/seed.ts --wait                    with the workers running: a progress
 *       line until every file is processed and every cover drawn, then index
 */
import { prisma } from '../../app/lib/db.server.ts'
import { reindexResources } from '../../search/resources-index.ts'
import { storage } from '../../storage/index.ts'
import { coverReport, queueCovers } from '../../workers/jobs/cover.ts'
import { attachDemoContent } from './demo-content.ts'
import { generateResources, seedCorpus } from './generate.ts'
import { seedMarket } from './market.ts'

export async function seedCatalogue(generated = 2_000, opts: { demo?: boolean } = {}) {
  const before = await prisma.resource.count({ where: { status: 'PUBLISHED' } })
  const ids = await seedCorpus(prisma)
  // The demo's files go to the workers first, so that they are processed while the rest is written.
  const processing = opts.demo ? await attachDemoContent(prisma, ids, undefined, (m) => console.log(m)) : []
  if (before === 0) await generateResources(prisma, generated, 2026)
  await seedFeatured(ids)
  await seedMarket(prisma)
  if (!opts.demo) return { processing: 0, covers: 0, index: await reindexResources() }
  // Resources being processed get their own picture; every other one without a picture a cover.
  const { missing } = await coverReport()
  await queueCovers(missing)
  return { processing: processing.length, covers: missing.length, index: null }
}

/** Resources whose files went through processing (every file with stored bytes, ever). */
async function mediaProgress() {
  const files = await prisma.resourceFile.findMany({
    where: { OR: [{ storageKey: { not: null } }, { sha256: { not: null } }] },
    select: { resourceId: true, status: true },
  })
  const busy = new Set(
    files.filter((f) => f.status === 'UPLOADING' || f.status === 'PROCESSING').map((f) => f.resourceId),
  )
  const all = new Set(files.map((f) => f.resourceId))
  return { total: all.size, done: all.size - busy.size, busy: [...busy] }
}

/** How many cover cards are stored (one listing; cheap enough to ask every second). */
async function storedCovers() {
  let n = 0
  for await (const _ of storage.list('covers/')) n++
  return n
}

/**
 * Shows "处理演示资源 23/59 · 封面 1200/2000" until the workers have processed every file and drawn
 * every cover (or `timeoutMs` passes), then rebuilds the index so that every card has its
 * picture, durations and page counts. Resources whose processing failed get a cover instead.
 */
export async function waitForCatalogue(timeoutMs = 15 * 60_000) {
  const started = Date.now()
  const tty = process.stdout.isTTY
  let last = ''
  let lastPrinted = 0
  let needed = (await coverReport()).needed
  let settled = false
  for (;;) {
    const media = await mediaProgress()
    const drawn = Math.min(needed, await storedCovers())
    let done = false
    if (!media.busy.length && drawn >= needed) {
      // Everything seems in: check exactly, and give a cover to any resource that processing left
      // without a picture (a failed file), then wait for those too.
      const report = await coverReport()
      needed = report.needed
      if (report.missing.length && !settled) await queueCovers(report.missing)
      settled = true
      done = !report.missing.length
    }
    const line = `处理演示资源 ${media.done}/${media.total} · 封面 ${Math.min(drawn, needed)}/${needed}`
    const elapsed = Math.round((Date.now() - started) / 1000)
    if (tty) process.stdout.write(`\r${line} … ${elapsed} s   `)
    else if (done || (line !== last && Date.now() - lastPrinted > 5_000)) {
      console.log(`${line} … ${elapsed} s`)
      lastPrinted = Date.now()
    }
    last = line
    if (done) break
    if (Date.now() - started > timeoutMs) {
      console.warn(`\n演示资源未能全部处理完 / not everything was processed in time: ${line}`)
      break
    }
    await new Promise((r) => setTimeout(r, 1_000))
  }
  if (tty) process.stdout.write('\n')
  return reindexResources()
}

/** The province's home page shows a 专题 the provincial reviewers selected (遴选). */
async function seedFeatured(ids: Record<string, string>) {
  const province = await prisma.platform.findFirstOrThrow({ where: { parentId: null }, select: { id: true } })
  const reviewer = await prisma.roleAssignment.findFirstOrThrow({
    where: { platformId: province.id, role: 'REVIEWER' },
    select: { userId: true },
  })
  const picks = [
    {
      title: '勾股定理精品课',
      description: '八年级下册第十七章：从赵爽弦图到逆定理，微课、教学设计与分层作业。',
      keys: ['gg-micro', 'gg-design', 'gg-ppt', 'gg-converse', 'gg-exercise'],
    },
    {
      title: '高中物理·运动和力',
      description: '必修第一册重点：牛顿第二定律、超重失重、自由落体。',
      keys: ['nd2', 'nd2-lab', 'nd-weight', 'zyl'],
    },
  ]
  for (const [position, pick] of picks.entries()) {
    if (
      await prisma.featuredCollection.findUnique({
        where: { platformId_title: { platformId: province.id, title: pick.title } },
      })
    )
      continue
    await prisma.featuredCollection.create({
      data: {
        platformId: province.id,
        title: pick.title,
        description: pick.description,
        position,
        createdById: reviewer.userId,
        items: { create: pick.keys.filter((k) => ids[k]).map((k, i) => ({ resourceId: ids[k]!, position: i })) },
      },
    })
    await prisma.selection.createMany({
      data: pick.keys
        .filter((k) => ids[k])
        .map((k) => ({ platformId: province.id, resourceId: ids[k]!, selectedById: reviewer.userId })),
      skipDuplicates: true,
    })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  if (args.includes('--wait')) {
    const r = await waitForCatalogue()
    console.log(`catalogue: ${r.documents} published resources indexed in ${r.seconds.toFixed(1)} s`)
  } else {
    const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 2_000)
    const r = await seedCatalogue(n, { demo: args.includes('--demo') })
    console.log(
      `catalogue: ${r.processing} demo resources queued for processing, ${r.covers} cover cards queued` +
        (r.index ? `; ${r.index.documents} published resources indexed in ${r.index.seconds.toFixed(1)} s` : ''),
    )
  }
  await prisma.$disconnect()
}
