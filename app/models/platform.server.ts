import { prisma, type Tx } from '~/lib/db.server.ts'
import { singleton } from '~/lib/singleton.server.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'

export const platformPublicSelect = {
  id: true,
  slug: true,
  name: true,
  shortName: true,
  level: true,
  mode: true,
  status: true,
  parentId: true,
  path: true,
  domain: true,
  externalUrl: true,
  logoUrl: true,
  primaryColor: true,
  accentColor: true,
  bannerText: true,
  registrationMode: true,
} as const

export function findPlatformBySlug(slug: string) {
  return prisma.platform.findUnique({ where: { slug }, select: platformPublicSelect })
}

export function findPlatformByDomain(domain: string) {
  return prisma.platform.findUnique({ where: { domain }, select: { slug: true } })
}

export function findChildPlatforms(parentId: string) {
  return prisma.platform.findMany({
    where: { parentId },
    select: platformPublicSelect,
    orderBy: [{ level: 'asc' }, { regionCode: 'asc' }, { name: 'asc' }],
  })
}

export function findPlatformsByIds(ids: string[]) {
  return prisma.platform.findMany({ where: { id: { in: ids } }, select: platformPublicSelect })
}

/** Ancestors from the root down, excluding the platform itself. */
export async function findAncestors(path: string, db: Tx = prisma) {
  const ids = path.split('/').slice(0, -1)
  if (!ids.length) return []
  const rows = await db.platform.findMany({ where: { id: { in: ids } }, select: platformPublicSelect })
  return ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean)
}

export type PublicPlatform = NonNullable<Awaited<ReturnType<typeof findPlatformBySlug>>>

/** Where-clause for a platform and all its descendants (paths are ids joined by "/"). */
export function withinPath(path: string) {
  return { OR: [{ path }, { path: { startsWith: path + '/' } }] }
}

/*
 * The public platform directory, as every portal page shows it (the platform, its breadcrumb,
 * its sub-platforms, the host names). It changes rarely and is read on every request, so it is
 * cached briefly in-process; a change made through this process clears it at once
 * (`invalidatePlatformDirectory`), other processes see it within the TTL.
 */
const DIRECTORY_TTL_MS = 5_000
// Singletons: the Express layer and the Remix bundle load this module separately and must
// share one cache, or an invalidation from an action would miss the other copy.
const bySlug = singleton('platform-dir:slug', () => ttlCache<string, PublicPlatform | null>(DIRECTORY_TTL_MS))
const ancestorsByPath = singleton('platform-dir:ancestors', () => ttlCache<string, PublicPlatform[]>(DIRECTORY_TTL_MS))
const childrenById = singleton('platform-dir:children', () => ttlCache<string, PublicPlatform[]>(DIRECTORY_TTL_MS))
const slugByDomain = singleton('platform-dir:domain', () => ttlCache<string, string | null>(30_000))

export const platformDirectory = {
  bySlug: (slug: string) => bySlug.get(slug, () => findPlatformBySlug(slug)),
  ancestors: (path: string) => ancestorsByPath.get(path, () => findAncestors(path)),
  children: (parentId: string) => childrenById.get(parentId, () => findChildPlatforms(parentId)),
  slugForDomain: (domain: string) =>
    slugByDomain.get(domain, async () => (await findPlatformByDomain(domain))?.slug ?? null),
}

export function invalidatePlatformDirectory() {
  for (const c of [bySlug, ancestorsByPath, childrenById, slugByDomain]) c.clear()
}
