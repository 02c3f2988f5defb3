/**
 * Licences: which one, if any, gives a user a premium resource's content, and why. This is the
 * marketplace's half of `entitledTo` (app/services/resources/access.server.ts): a licence holds
 * while it is ACTIVE (not refunded, not under dispute) and inside its term, and covers
 *  - PERSONAL: its holder;
 *  - SCHOOL without seats: every teacher of the school; with seats: the teachers assigned one;
 *  - REGION: every teacher of a school or platform below the city or county that holds it.
 * A user's schools are the schools they teach at (a TEACHER role there); a seat holds only while
 * its teacher still teaches at the licence's school.
 * One query per check, no caches: a refund or a reclaimed seat holds for the next request.
 */
import { prisma, type Tx } from '~/lib/db.server.ts'
import type { LicenceScopeCode } from '~/lib/market-codes.ts'

/** The platforms a user teaches on, for licences: their paths, and which are schools. Only TEACHER
 * roles count, not the home platform as such: a teacher who moved keeps no licence of the school
 * they left, and a member or student is covered by no school or region licence. */
export async function membershipOf(userId: string, db: Tx = prisma) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      status: true,
      roles: { where: { role: 'TEACHER' }, select: { platform: { select: { id: true, path: true, level: true } } } },
    },
  })
  if (!user || user.status !== 'ACTIVE') return null
  const platforms = user.roles.map((r) => r.platform)
  return {
    isTeacher: platforms.length > 0,
    schoolIds: [...new Set(platforms.filter((p) => p.level === 'SCHOOL').map((p) => p.id))],
    paths: [...new Set(platforms.map((p) => p.path))],
  }
}

export type CoveringRow = {
  licenceId: string
  resourceId: string
  scope: LicenceScopeCode
  seat: boolean
  orderNumber: string
  holderName: string
  endsAt: Date | null
}

/** Every live licence that covers the user (for one resource, or all), personal ones first. */
async function covering(userId: string, resourceId: string | null, now: Date, limit: number): Promise<CoveringRow[]> {
  const m = await membershipOf(userId)
  if (!m) return []
  return prisma.$queryRaw<CoveringRow[]>`
    SELECT l.id AS "licenceId", lr."resourceId", l.scope, (l.scope = 'SCHOOL' AND l.seats IS NOT NULL) AS seat,
           o.number AS "orderNumber", l."endsAt", COALESCE(hp.name, hu."displayName", '') AS "holderName"
    FROM "LicenceResource" lr
    JOIN "Licence" l ON l.id = lr."licenceId"
    JOIN "OrderItem" oi ON oi.id = l."orderItemId"
    JOIN "Order" o ON o.id = oi."orderId"
    LEFT JOIN "Platform" hp ON hp.id = l."holderPlatformId"
    LEFT JOIN "User" hu ON hu.id = l."holderUserId"
    WHERE (${resourceId}::text IS NULL OR lr."resourceId" = ${resourceId})
      AND l.status = 'ACTIVE' AND l."startsAt" <= ${now} AND (l."endsAt" IS NULL OR l."endsAt" > ${now})
      AND (
        (l.scope = 'PERSONAL' AND l."holderUserId" = ${userId})
        OR (${m.isTeacher} AND l.scope = 'SCHOOL' AND l.seats IS NULL AND l."holderPlatformId" = ANY(${m.schoolIds}::text[]))
        OR (l.scope = 'SCHOOL' AND l.seats IS NOT NULL AND l."holderPlatformId" = ANY(${m.schoolIds}::text[])
            AND EXISTS (SELECT 1 FROM "LicenceSeat" s WHERE s."licenceId" = l.id AND s."userId" = ${userId}))
        OR (${m.isTeacher} AND l.scope = 'REGION' AND EXISTS (
              SELECT 1 FROM unnest(${m.paths}::text[]) AS mine(path)
              WHERE mine.path = hp.path OR mine.path LIKE hp.path || '/%'))
      )
    ORDER BY (l.scope = 'PERSONAL') DESC, l."endsAt" DESC NULLS FIRST
    LIMIT ${limit}`
}

/** The licence that gives this user this resource now, or null. */
export async function coverageFor(userId: string, resourceId: string, now = new Date()): Promise<CoveringRow | null> {
  return (await covering(userId, resourceId, now, 1))[0] ?? null
}

/** 我的空间: every premium resource the user may use and why (own purchase, school seat, whole
 * school, region), one line per resource (the strongest reason). */
export async function myEntitlements(userId: string, now = new Date()) {
  const rows = await covering(userId, null, now, 500)
  const byResource = new Map<string, CoveringRow>()
  for (const r of rows) if (!byResource.has(r.resourceId)) byResource.set(r.resourceId, r)
  const resources = await prisma.resource.findMany({
    where: { id: { in: [...byResource.keys()] }, status: 'PUBLISHED' },
    select: { id: true, title: true, resourceType: true },
  })
  return resources.map((r) => ({ ...r, ...byResource.get(r.id)! }))
}
