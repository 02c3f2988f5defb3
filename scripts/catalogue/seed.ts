/**
 * Demo catalogue: the hand-written resources plus generated ones, published and indexed
 * through the real reindex path. Runs once (skipped when the corpus is already there).
 *   tsx scripts/catalogue/seed.ts [generated=2000]
 */
import { prisma } from '../../app/lib/db.server.ts'
import { reindexResources } from '../../search/resources-index.ts'
import { generateResources, seedCorpus } from './generate.ts'

export async function seedCatalogue(generated = 2_000) {
  const before = await prisma.resource.count({ where: { status: 'PUBLISHED' } })
  const ids = await seedCorpus(prisma)
  if (before === 0) await generateResources(prisma, generated, 2026)
  await seedFeatured(ids)
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
  const r = await seedCatalogue(Number(process.argv[2] ?? 2_000))
  console.log(`catalogue: ${r.documents} published resources indexed in ${r.seconds.toFixed(1)} s`)
  await prisma.$disconnect()
}
