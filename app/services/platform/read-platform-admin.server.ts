/** What a platform's admin page reads. Each function checks its own permission. */
import { prisma } from '~/lib/db.server.ts'
import { withinPath } from '~/models/platform.server.ts'
import { singleton } from '~/lib/singleton.server.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'
import { notFound } from '~/lib/errors.ts'
import { assertCan, type Actor } from '../authorization.server.ts'

async function platformRef(platformId: string) {
  const p = await prisma.platform.findUnique({ where: { id: platformId }, select: { id: true, path: true } })
  if (!p) throw notFound()
  return p
}

/** The settings the admin page edits (branding, footer, review rules, sensitive words). */
export async function readPlatformSettings(actor: Actor | null, platformId: string) {
  assertCan(actor, 'platform.admin', await platformRef(platformId))
  return prisma.platform.findUniqueOrThrow({
    where: { id: platformId },
    select: {
      name: true,
      shortName: true,
      bannerText: true,
      primaryColor: true,
      accentColor: true,
      logoUrl: true,
      hostUnit: true,
      contact: true,
      icpNumber: true,
      sensitiveWords: true,
      reviewRequired: true,
      reviewersNeeded: true,
      reviewCriteria: true,
      reviewPassScore: true,
      reviewCommentTemplates: true,
    },
  })
}

/** Users whose home is this platform, plus anyone holding a role on it. */
export async function listPlatformMembers(actor: Actor | null, platformId: string, opts: { take?: number } = {}) {
  assertCan(actor, 'platform.members.read', await platformRef(platformId))
  return prisma.user.findMany({
    where: { OR: [{ homePlatformId: platformId }, { roles: { some: { platformId } } }] },
    select: {
      id: true,
      displayName: true,
      email: true,
      phone: true,
      status: true,
      schoolName: true,
      roles: { where: { platformId }, select: { id: true, role: true } },
    },
    orderBy: [{ createdAt: 'asc' }],
    take: Math.min(opts.take ?? 200, 500),
  })
}

/** The audit trail of this platform and, for admins and regulators above, of its descendants. */
export async function listAuditLog(
  actor: Actor | null,
  platformId: string,
  opts: { take?: number; includeDescendants?: boolean } = {},
) {
  const platform = await platformRef(platformId)
  assertCan(actor, 'platform.audit.read', platform)
  const rows = await prisma.auditLog.findMany({
    where: opts.includeDescendants ? { platform: withinPath(platform.path) } : { platformId },
    orderBy: { id: 'desc' },
    take: Math.min(opts.take ?? 50, 500),
    select: { id: true, at: true, action: true, actorId: true, targetType: true, targetId: true, ip: true, data: true },
  })
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))]
  const actors = await prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, displayName: true },
  })
  const names = new Map(actors.map((a) => [a.id, a.displayName]))
  return rows.map((r) => ({ ...r, id: r.id.toString(), actorName: r.actorId ? (names.get(r.actorId) ?? null) : null }))
}

/** Public figures for a platform's home page; a minute old at most (they are read on every
 * visit to a portal and change slowly). */
const overviewCache = singleton('platform-overview', () => ttlCache<string, { users: number }>(60_000))
export function getPlatformOverview(platform: { path: string }) {
  return overviewCache.get(platform.path, async () => ({
    users: await prisma.user.count({ where: { homePlatform: withinPath(platform.path) } }),
  }))
}
