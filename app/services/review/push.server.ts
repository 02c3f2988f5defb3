/**
 * 推送: a platform's admins put a published resource, or one of their featured collections, in
 * front of chosen schools (platforms below them) and/or roles. The people it reaches find it in
 * 我的空间 (推送给我). A resource can only be pushed where it is shown.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import { stripControl } from '~/lib/text.ts'
import { can, isWithin, type Actor, type PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { inScope } from '../resources/access.server.ts'

import { PUSH_ROLES } from '~/lib/review-codes.ts'

export type PushInput = {
  resourceId?: string
  collectionId?: string
  platformIds?: string[]
  roles?: string[]
  note?: string
}

export async function pushToAudience(
  actor: Actor | null,
  platform: PlatformRef,
  input: PushInput,
  meta: { ip?: string; requestId?: string } = {},
) {
  if (!actor) throw unauthenticated()
  if (!can(actor, 'platform.admin', platform)) throw forbidden()
  if (!!input.resourceId === !!input.collectionId) throw validation({}, 'form.invalid')
  const roles = [...new Set(input.roles ?? [])]
  if (roles.some((r) => !(PUSH_ROLES as readonly string[]).includes(r)))
    throw validation({ roles: 'form.invalid' }, 'form.invalid')
  const ids = [...new Set(input.platformIds ?? [])].filter((x) => /^[a-z0-9]{8,40}$/i.test(x))
  const targets = ids.length
    ? await prisma.platform.findMany({ where: { id: { in: ids } }, select: { id: true, path: true } })
    : []
  // Only this platform and the platforms below it can be chosen.
  if (targets.length !== ids.length || targets.some((t) => !isWithin(t.path, platform.path))) throw forbidden()
  if (input.resourceId) {
    const r = await prisma.resource.findUnique({
      where: { id: input.resourceId },
      include: { platform: { select: { path: true } }, scopePlatform: { select: { path: true } } },
    })
    if (!r) throw notFound()
    const reach = targets.length ? targets : [platform]
    if (reach.some((t) => !inScope(r, t))) throw conflict('review.error.notInScope')
  } else {
    const c = await prisma.featuredCollection.findUnique({
      where: { id: input.collectionId! },
      select: { platformId: true },
    })
    if (!c || c.platformId !== platform.id) throw notFound()
  }
  const note = typeof input.note === 'string' ? stripControl(input.note).trim().slice(0, 200) : ''
  return prisma.$transaction(async (tx) => {
    const p = await tx.push.create({
      data: {
        platformId: platform.id,
        resourceId: input.resourceId ?? null,
        collectionId: input.collectionId ?? null,
        targetPlatformIds: ids,
        targetRoles: roles,
        note,
        createdById: actor.userId,
      },
    })
    await writeAudit(
      {
        action: 'featured.push',
        actorId: actor.userId,
        platformId: platform.id,
        targetType: input.resourceId ? 'Resource' : 'FeaturedCollection',
        targetId: input.resourceId ?? input.collectionId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { platforms: ids, roles },
      },
      tx,
    )
    return p
  })
}

/** What has been pushed to this person: by platforms above (or at) where they belong, aimed at
 * one of their platforms (or at everyone below) and at one of their roles (or at every role). */
export async function pushesFor(actor: Actor, take = 50) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { homePlatform: { select: { id: true, path: true } } },
  })
  const mine = [user.homePlatform, ...actor.roles.map((r) => ({ id: r.platformId, path: r.platformPath }))]
  const above = [...new Set(mine.flatMap((p) => p.path.split('/')))]
  const roles = new Set(actor.roles.map((r) => r.role as string))
  const rows = await prisma.push.findMany({
    where: { platformId: { in: above } },
    orderBy: { createdAt: 'desc' },
    take: 200,
  })
  const hits = rows
    .filter((p) => {
      const pusher = mine.find((m) => m.path.split('/').includes(p.platformId))
      if (!pusher) return false
      const placeOk =
        p.targetPlatformIds.length === 0 ||
        mine.some((m) => m.path.split('/').some((id) => p.targetPlatformIds.includes(id)))
      const roleOk = p.targetRoles.length === 0 || p.targetRoles.some((r) => roles.has(r))
      return placeOk && roleOk
    })
    .slice(0, take)
  const [resources, collections, platforms] = await Promise.all([
    prisma.resource.findMany({
      where: { id: { in: hits.map((h) => h.resourceId).filter((x): x is string => !!x) }, status: 'PUBLISHED' },
      select: { id: true, title: true, resourceType: true },
    }),
    prisma.featuredCollection.findMany({
      where: { id: { in: hits.map((h) => h.collectionId).filter((x): x is string => !!x) } },
      select: { id: true, title: true },
    }),
    prisma.platform.findMany({
      where: { id: { in: hits.map((h) => h.platformId) } },
      select: { id: true, name: true, slug: true },
    }),
  ])
  return hits
    .map((h) => {
      const from = platforms.find((p) => p.id === h.platformId)!
      const r = h.resourceId ? resources.find((x) => x.id === h.resourceId) : null
      const c = h.collectionId ? collections.find((x) => x.id === h.collectionId) : null
      if (h.resourceId && !r) return null // withdrawn since
      return {
        id: h.id,
        at: h.createdAt.toISOString(),
        note: h.note,
        from: from.name,
        link: r ? `/p/${from.slug}/r/${r.id}` : `/p/${from.slug}#featured-${c?.id}`,
        title: r?.title ?? c?.title ?? '',
        kind: r ? 'RESOURCE' : 'COLLECTION',
      }
    })
    .filter((x): x is NonNullable<typeof x> => !!x)
}

/** Platforms an admin can push to: the platform and those below it (for the form). */
export async function pushTargets(platform: PlatformRef) {
  return prisma.platform.findMany({
    where: { OR: [{ id: platform.id }, { path: { startsWith: platform.path + '/' } }] },
    orderBy: { path: 'asc' },
    take: 100,
    select: { id: true, name: true, level: true },
  })
}
