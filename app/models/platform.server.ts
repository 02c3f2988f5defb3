import { prisma, type Tx } from '~/lib/db.server.ts'

export const platformPublicSelect = {
  id: true, slug: true, name: true, shortName: true, level: true, mode: true, status: true,
  parentId: true, path: true, domain: true, externalUrl: true, logoUrl: true,
  primaryColor: true, accentColor: true, bannerText: true,
} as const

export function findPlatformBySlug(slug: string) {
  return prisma.platform.findUnique({ where: { slug }, select: platformPublicSelect })
}

export function findPlatformByDomain(domain: string) {
  return prisma.platform.findUnique({ where: { domain }, select: { slug: true } })
}

export function findChildPlatforms(parentId: string) {
  return prisma.platform.findMany({ where: { parentId }, select: platformPublicSelect, orderBy: [{ level: 'asc' }, { regionCode: 'asc' }, { name: 'asc' }] })
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
