/**
 * Ratings: 1–5 stars, one per user per resource, changeable. The average and count on the
 * resource are recomputed in the same transaction and the search document follows (it sorts
 * and filters by rating).
 */
import { prisma } from '~/lib/db.server.ts'
import { unauthenticated, validation } from '~/lib/errors.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'

export async function rateResource(actor: Actor | null, resourceId: string, portal: PlatformRef, score: unknown) {
  if (!actor) throw unauthenticated()
  const n = Number(score)
  if (!Number.isInteger(n) || n < 1 || n > 5)
    throw validation({ score: 'engagement.error.badScore' }, 'engagement.error.badScore')
  const { resource } = await loadVisibleResource(actor, resourceId, portal)
  if (resource.status !== 'PUBLISHED') throw validation({}, 'engagement.error.notPublished')
  return prisma.$transaction(async (tx) => {
    await tx.rating.upsert({
      where: { userId_resourceId: { userId: actor.userId, resourceId } },
      create: { userId: actor.userId, resourceId, score: n },
      update: { score: n },
    })
    const agg = await tx.rating.aggregate({ where: { resourceId }, _avg: { score: true }, _count: true })
    const summary = { ratingAvg: agg._avg.score ?? 0, ratingCount: agg._count }
    await tx.resource.update({ where: { id: resourceId }, data: summary })
    await queueSearchSync(tx, [resourceId])
    return { ...summary, mine: n }
  })
}

export async function ratingSummary(resourceId: string, userId: string | null) {
  const [groups, mine] = await Promise.all([
    prisma.rating.groupBy({ by: ['score'], where: { resourceId }, _count: true }),
    userId
      ? prisma.rating.findUnique({ where: { userId_resourceId: { userId, resourceId } }, select: { score: true } })
      : null,
  ])
  const histogram = [1, 2, 3, 4, 5].map((s) => groups.find((g) => g.score === s)?._count ?? 0)
  const count = histogram.reduce((a, b) => a + b, 0)
  const avg = count ? histogram.reduce((a, c, i) => a + c * (i + 1), 0) / count : 0
  return { avg: Math.round(avg * 10) / 10, count, histogram, mine: mine?.score ?? null }
}
