/**
 * The audit trail as admins and the regulator read it: filtered by kind of action, actor, target
 * and time, a page at a time (newest first), and exported to CSV with the same filters. The
 * table itself is append-only (the database refuses UPDATE and DELETE).
 */
import { prisma, type Prisma } from '~/lib/db.server.ts'
import { validation } from '~/lib/errors.ts'
import { withinPath } from '~/models/platform.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'

export const AUDIT_GROUPS = ['auth', 'role', 'user', 'platform', 'resource', 'review', 'comment', 'featured'] as const
export type AuditFilters = {
  group?: string | null
  actor?: string | null
  target?: string | null
  from?: string | null
  to?: string | null
  before?: string | null
}

function parse(f: AuditFilters) {
  const group = f.group && (AUDIT_GROUPS as readonly string[]).includes(f.group) ? f.group : null
  const actor = f.actor?.trim().slice(0, 40) || null
  const target = f.target && /^[a-z0-9]{1,40}$/i.test(f.target) ? f.target : null
  const day = (v: string | null | undefined, field: string) => {
    if (!v) return null
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
      throw validation({ [field]: 'audit.error.badDate' }, 'audit.error.badDate')
    return new Date(`${v}T00:00:00+08:00`)
  }
  const from = day(f.from, 'from')
  const toStart = day(f.to, 'to')
  const to = toStart ? new Date(toStart.getTime() + 86_400_000) : null
  const before = f.before && /^\d{1,19}$/.test(f.before) ? BigInt(f.before) : null
  return { group, actor, target, from, to, before }
}

async function where(actor: Actor | null, platformId: string, f: AuditFilters): Promise<Prisma.AuditLogWhereInput> {
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { id: platformId },
    select: { id: true, path: true },
  })
  assertCan(actor, 'platform.audit.read', platform)
  const p = parse(f)
  let actorIds: string[] | undefined
  if (p.actor) {
    const users = await prisma.user.findMany({
      where: { OR: [{ displayName: { contains: p.actor } }, { phone: p.actor.replace(/\D/g, '') || '-' }] },
      select: { id: true },
      take: 50,
    })
    actorIds = users.map((u) => u.id)
  }
  return {
    platform: withinPath(platform.path),
    ...(p.group ? { action: { startsWith: `${p.group}.` } } : {}),
    ...(actorIds ? { actorId: { in: actorIds } } : {}),
    ...(p.target ? { targetId: p.target } : {}),
    ...(p.from || p.to ? { at: { ...(p.from ? { gte: p.from } : {}), ...(p.to ? { lt: p.to } : {}) } } : {}),
    ...(p.before ? { id: { lt: p.before } } : {}),
  }
}

const select = {
  id: true,
  at: true,
  action: true,
  actorId: true,
  platformId: true,
  targetType: true,
  targetId: true,
  ip: true,
  data: true,
} as const
type AuditRow = {
  id: bigint
  at: Date
  action: string
  actorId: string | null
  platformId: string | null
  targetType: string | null
  targetId: string | null
  ip: string | null
  data: Prisma.JsonValue
}

async function withNames<T extends { actorId: string | null; platformId: string | null }>(rows: T[]) {
  const [users, platforms] = await Promise.all([
    prisma.user.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))] } },
      select: { id: true, displayName: true },
    }),
    prisma.platform.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.platformId).filter((x): x is string => !!x))] } },
      select: { id: true, name: true },
    }),
  ])
  const u = new Map(users.map((x) => [x.id, x.displayName]))
  const p = new Map(platforms.map((x) => [x.id, x.name]))
  return rows.map((r) => ({
    ...r,
    actorName: r.actorId ? (u.get(r.actorId) ?? '') : '',
    platformName: r.platformId ? (p.get(r.platformId) ?? '') : '',
  }))
}

export async function queryAuditLog(actor: Actor | null, platformId: string, f: AuditFilters, take = 50) {
  const rows = await prisma.auditLog.findMany({
    where: await where(actor, platformId, f),
    orderBy: { id: 'desc' },
    take: take + 1,
    select,
  })
  const page = await withNames(rows.slice(0, take))
  return {
    rows: page.map((r) => ({
      ...r,
      id: r.id.toString(),
      at: r.at.toISOString(),
      data: r.data === null ? '' : JSON.stringify(r.data),
    })),
    next: rows.length > take ? rows[take - 1]!.id.toString() : null,
  }
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '')
  // Quote everything; neutralise spreadsheet formulas (=, +, -, @) so an exported cell never runs.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return `"${safe.replace(/"/g, '""')}"`
}

/** The filtered trail as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese). */
export async function* auditCsv(actor: Actor | null, platformId: string, f: AuditFilters, headers: string[]) {
  const w = await where(actor, platformId, f)
  yield '\uFEFF' + headers.map(csvCell).join(',') + '\r\n'
  let before: bigint | null = null
  for (let n = 0; n < 100; n++) {
    const rows: AuditRow[] = await prisma.auditLog.findMany({
      where: { AND: [w, before ? { id: { lt: before } } : {}] },
      orderBy: { id: 'desc' },
      take: 1_000,
      select,
    })
    if (!rows.length) return
    for (const r of await withNames(rows))
      yield (
        [
          r.id.toString(),
          r.at.toISOString(),
          r.action,
          r.actorName,
          r.actorId ?? '',
          r.platformName,
          r.targetType ?? '',
          r.targetId ?? '',
          r.ip ?? '',
          r.data === null ? '' : JSON.stringify(r.data),
        ]
          .map(csvCell)
          .join(',') + '\r\n'
      )
    before = rows[rows.length - 1]!.id
  }
}
