/**
 * Favourites in named collections (收藏夹). A collection belongs to one user and is private to
 * them; a resource can sit in several.
 */
import { stripControl } from '~/lib/text.ts'
import { prisma } from '~/lib/db.server.ts'
import { conflict, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'

export const MAX_COLLECTIONS = 50

function cleanName(name: unknown) {
  const n = typeof name === 'string' ? stripControl(name).replace(/\s+/g, ' ').trim() : ''
  if (!n) throw validation({ name: 'validation.required' }, 'engagement.error.collectionName')
  if ([...n].length > 30) throw validation({ name: 'validation.tooLong' }, 'engagement.error.collectionName')
  return n
}

export async function createCollection(actor: Actor | null, name: unknown) {
  if (!actor) throw unauthenticated()
  const n = cleanName(name)
  if ((await prisma.collection.count({ where: { ownerId: actor.userId } })) >= MAX_COLLECTIONS)
    throw conflict('engagement.error.tooManyCollections')
  const existing = await prisma.collection.findUnique({
    where: { ownerId_name: { ownerId: actor.userId, name: n } },
    select: { id: true },
  })
  if (existing) return existing
  return prisma.collection.create({ data: { ownerId: actor.userId, name: n }, select: { id: true } })
}

/** Adds to an existing collection of the actor's, or to a new one named `newName`. */
export async function addToCollection(
  actor: Actor | null,
  resourceId: string,
  portal: PlatformRef,
  target: { collectionId?: string; newName?: string },
) {
  if (!actor) throw unauthenticated()
  await loadVisibleResource(actor, resourceId, portal)
  let collectionId = target.collectionId
  if (target.newName) collectionId = (await createCollection(actor, target.newName)).id
  if (!collectionId) throw validation({ collectionId: 'validation.required' }, 'engagement.error.chooseCollection')
  const c = await prisma.collection.findUnique({ where: { id: collectionId }, select: { ownerId: true } })
  // Another user's collection is "not found": ids are not proof of ownership.
  if (!c || c.ownerId !== actor.userId) throw notFound()
  await prisma.collectionItem.upsert({
    where: { collectionId_resourceId: { collectionId, resourceId } },
    create: { collectionId, resourceId },
    update: {},
  })
  await prisma.collection.update({ where: { id: collectionId }, data: { updatedAt: new Date() } })
  return { collectionId }
}

export async function removeFromCollection(actor: Actor | null, collectionId: string, resourceId: string) {
  if (!actor) throw unauthenticated()
  const c = await prisma.collection.findUnique({ where: { id: collectionId }, select: { ownerId: true } })
  if (!c || c.ownerId !== actor.userId) throw notFound()
  await prisma.collectionItem.deleteMany({ where: { collectionId, resourceId } })
}

/** The actor's collections with their items (published or their own), newest first. */
export async function listMyCollections(actor: Actor, itemsPer = 50) {
  const rows = await prisma.collection.findMany({
    where: { ownerId: actor.userId },
    orderBy: { updatedAt: 'desc' },
    select: {
      id: true,
      name: true,
      updatedAt: true,
      _count: { select: { items: true } },
      items: {
        orderBy: { addedAt: 'desc' },
        take: itemsPer,
        where: { resource: { OR: [{ status: 'PUBLISHED' }, { ownerId: actor.userId, status: { not: 'DELETED' } }] } },
        select: {
          addedAt: true,
          resource: {
            select: { id: true, title: true, resourceType: true, kind: true, platform: { select: { slug: true } } },
          },
        },
      },
    },
  })
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    count: c._count.items,
    items: c.items.map((i) => ({
      ...i.resource,
      platformSlug: i.resource.platform.slug,
      addedAt: i.addedAt.toISOString(),
    })),
  }))
}

/** Which of the actor's collections already hold this resource (for the "collect" control). */
export async function collectionsFor(actor: Actor | null, resourceId: string) {
  if (!actor) return []
  const rows = await prisma.collection.findMany({
    where: { ownerId: actor.userId },
    orderBy: { updatedAt: 'desc' },
    select: { id: true, name: true, items: { where: { resourceId }, select: { resourceId: true } } },
  })
  return rows.map((r) => ({ id: r.id, name: r.name, holds: r.items.length > 0 }))
}
