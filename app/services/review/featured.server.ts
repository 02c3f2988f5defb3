/**
 * 遴选 and 专题. Selection is a platform's own decision, recorded apart from review: a reviewer
 * or admin of a platform selects a resource its portal shows into one of its featured
 * collections, which the platform's home page lists in order.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import { stripControl } from '~/lib/text.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { inScope } from '../resources/access.server.ts'
import { coverKeyOf, existingCovers, thumbOf } from '../../../search/resource-document.ts'
import { singleton } from '~/lib/singleton.server.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'

type Meta = { ip?: string; requestId?: string }

export function canCurate(actor: Actor | null, platform: PlatformRef) {
  return can(actor, 'platform.moderate', platform)
}

const clean = (v: unknown, max: number) =>
  typeof v === 'string' ? stripControl(v).replace(/\s+/g, ' ').trim().slice(0, max) : ''

/** Selects a resource into a collection of this platform (a new one when `newTitle` is given). */
export async function selectIntoFeatured(
  actor: Actor | null,
  platform: PlatformRef,
  resourceId: string,
  target: { collectionId?: string; newTitle?: string; description?: string; note?: string },
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  if (!canCurate(actor, platform)) throw forbidden()
  if (!/^[a-z0-9]{8,40}$/i.test(resourceId)) throw notFound()
  const r = await prisma.resource.findUnique({
    where: { id: resourceId },
    include: { platform: { select: { path: true } }, scopePlatform: { select: { path: true } } },
  })
  if (!r) throw notFound()
  // Only what this portal already shows can be featured on it.
  if (!inScope(r, platform)) throw conflict('review.error.notInScope')
  const title = clean(target.newTitle, 40)
  if (!target.collectionId && !title)
    throw validation({ collection: 'review.error.chooseCollection' }, 'review.error.chooseCollection')
  return prisma.$transaction(async (tx) => {
    let collectionId = target.collectionId
    if (title) {
      const c = await tx.featuredCollection.upsert({
        where: { platformId_title: { platformId: platform.id, title } },
        create: {
          platformId: platform.id,
          title,
          description: clean(target.description, 300),
          createdById: actor.userId,
          position: await tx.featuredCollection.count({ where: { platformId: platform.id } }),
        },
        update: {},
      })
      collectionId = c.id
    }
    const c = await tx.featuredCollection.findUnique({ where: { id: collectionId! }, select: { platformId: true } })
    if (!c || c.platformId !== platform.id) throw notFound()
    await tx.selection.upsert({
      where: { platformId_resourceId: { platformId: platform.id, resourceId } },
      create: { platformId: platform.id, resourceId, selectedById: actor.userId, note: clean(target.note, 300) },
      update: {},
    })
    const last = await tx.featuredItem.findFirst({
      where: { collectionId: collectionId! },
      orderBy: { position: 'desc' },
      select: { position: true },
    })
    await tx.featuredItem.upsert({
      where: { collectionId_resourceId: { collectionId: collectionId!, resourceId } },
      create: { collectionId: collectionId!, resourceId, position: (last?.position ?? -1) + 1 },
      update: {},
    })
    featuredCache.clear()
    await writeAudit(
      {
        action: 'featured.select',
        actorId: actor.userId,
        platformId: platform.id,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { collectionId },
      },
      tx,
    )
    return { collectionId: collectionId! }
  })
}

/** Moves an item up or down in its collection, or removes it. */
export async function arrangeFeatured(
  actor: Actor | null,
  platform: PlatformRef,
  collectionId: string,
  resourceId: string,
  op: 'up' | 'down' | 'remove',
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  if (!canCurate(actor, platform)) throw forbidden()
  await prisma.$transaction(async (tx) => {
    const c = await tx.featuredCollection.findUnique({
      where: { id: collectionId },
      include: { items: { orderBy: { position: 'asc' } } },
    })
    if (!c || c.platformId !== platform.id) throw notFound()
    const i = c.items.findIndex((x) => x.resourceId === resourceId)
    if (i < 0) throw notFound()
    if (op === 'remove')
      await tx.featuredItem.delete({ where: { collectionId_resourceId: { collectionId, resourceId } } })
    else {
      const j = op === 'up' ? i - 1 : i + 1
      if (j < 0 || j >= c.items.length) return
      const [a, b] = [c.items[i]!, c.items[j]!]
      await tx.featuredItem.update({
        where: { collectionId_resourceId: { collectionId, resourceId: a.resourceId } },
        data: { position: b.position },
      })
      await tx.featuredItem.update({
        where: { collectionId_resourceId: { collectionId, resourceId: b.resourceId } },
        data: { position: a.position },
      })
    }
    featuredCache.clear()
    await writeAudit(
      {
        action: 'featured.arrange',
        actorId: actor.userId,
        platformId: platform.id,
        targetType: 'FeaturedCollection',
        targetId: collectionId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { resourceId, op },
      },
      tx,
    )
  })
}

// The home page is the busiest page: its collections are cached briefly, and cleared when this
// process changes them (other processes see a change within the TTL).
const featuredCache = singleton('featured-home', () =>
  ttlCache<string, Awaited<ReturnType<typeof loadFeatured>>>(5_000),
)

/** Forget cached home-page collections (a featured resource was taken down or restored). */
export function forgetFeatured() {
  featuredCache.clear()
}

/** The platform's collections with the items its portal may show, in order (home page). */
export function featuredFor(platform: PlatformRef & { path: string }) {
  return featuredCache.get(platform.id, () => loadFeatured(platform))
}

async function loadFeatured(platform: PlatformRef & { path: string }) {
  const rows = await prisma.featuredCollection.findMany({
    where: { platformId: platform.id },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    take: 10,
    select: {
      id: true,
      title: true,
      description: true,
      items: {
        orderBy: { position: 'asc' },
        take: 24,
        select: {
          resource: {
            select: {
              id: true,
              title: true,
              resourceType: true,
              subject: true,
              grade: true,
              platformId: true,
              status: true,
              platform: { select: { path: true } },
              scopePlatform: { select: { path: true } },
              files: {
                where: { role: 'PRIMARY', status: 'READY' },
                take: 1,
                select: {
                  id: true,
                  derivatives: {
                    where: { name: { in: ['poster', 'pages', 'image'] } },
                    select: { name: true, key: true, meta: true },
                  },
                },
              },
            },
          },
        },
      },
    },
  })
  // Items without a picture of their own show their cover card, once one has been drawn.
  const bare = rows.flatMap((c) => c.items.map((i) => i.resource).filter((r) => !thumbOf(r.files[0])))
  const drawn = await existingCovers(bare.map((r) => coverKeyOf(r)))
  const coverOf = (r: (typeof bare)[number]) => (drawn.has(coverKeyOf(r)) ? coverKeyOf(r) : null)
  return (
    rows
      .map((c) => ({
        id: c.id,
        title: c.title,
        description: c.description,
        // A taken-down or otherwise withdrawn item silently leaves the home page.
        items: c.items
          .filter((i) => inScope(i.resource, platform))
          .map((i) => ({
            id: i.resource.id,
            title: i.resource.title,
            type: i.resource.resourceType,
            thumb: thumbOf(i.resource.files[0], coverOf(i.resource)),
          })),
      }))
      // The cover is the first item that has a picture (a video poster, a first page, an image).
      .map((c) => ({ ...c, cover: c.items.find((i) => i.thumb)?.thumb ?? null }))
      .filter((c) => c.items.length > 0)
  )
}

/** This platform's collections, and which hold the resource (the resource page's form). */
export async function collectionsOf(platformId: string, resourceId: string) {
  const rows = await prisma.featuredCollection.findMany({
    where: { platformId },
    orderBy: { position: 'asc' },
    select: { id: true, title: true, items: { where: { resourceId }, select: { resourceId: true } } },
  })
  return rows.map((r) => ({ id: r.id, title: r.title, holds: r.items.length > 0 }))
}
