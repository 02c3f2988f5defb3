/**
 * The audit trail as admins and the regulator read it: filtered by kind of action, actor, target
 * and time, a page at a time (newest first), and exported to CSV with the same filters. The
 * table itself is append-only (the database refuses UPDATE and DELETE).
 */
import { CSV_BOM, csvCell } from '~/lib/csv.ts'
import { prisma, type Prisma } from '~/lib/db.server.ts'
import { beijingDayStart, formatDateTime } from '~/lib/dates.ts'
import { validation } from '~/lib/errors.ts'
import { translator, type Locale } from '~/lib/i18n/index.ts'
import { platformHref, type LinkHere } from '~/lib/platform-links.ts'
import { withinPath } from '~/models/platform.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { actionName, describeDetails, loadTargets, rawData, targetTypeName } from './audit-words.server.ts'

export const AUDIT_GROUPS = [
  'auth',
  'role',
  'user',
  'platform',
  'resource',
  'review',
  'comment',
  'featured',
  'market',
] as const
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
    // Days are Beijing calendar days, as every date in the product is shown.
    const start = beijingDayStart(v)
    if (!start) throw validation({ [field]: 'audit.error.badDate' }, 'audit.error.badDate')
    return start
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

/** A page of entries in words: action names, objects by title, details, Beijing time. */
async function inWords(rows: AuditRow[], locale: Locale) {
  const t = translator(locale)
  const [named, targets] = await Promise.all([withNames(rows), loadTargets(rows)])
  return named.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    /** Beijing time, the product's one format (app/lib/dates.ts). */
    time: formatDateTime(r.at, { seconds: true }),
    action: r.action,
    actionName: actionName(t, r.action),
    actorId: r.actorId,
    actorName: r.actorName,
    platformId: r.platformId,
    platformName: r.platformName,
    targetType: r.targetType,
    targetTypeName: targetTypeName(t, r.targetType),
    targetId: r.targetId,
    target: targets.target(r),
    details: describeDetails(r, t, targets),
    ip: r.ip,
    data: rawData(r.data),
  }))
}

export type AuditEntryInWords = Awaited<ReturnType<typeof inWords>>[number]

/** Entries as a page shows them: each object's link written for the address the page is served
 * at (`here`, from the route), the raw data left out. */
export function forPage(rows: AuditEntryInWords[], here: LinkHere) {
  return rows.map(({ data: _raw, target, ...r }) => ({
    ...r,
    target: target && {
      label: target.label,
      href: target.link ? platformHref(target.link, target.link.path, here) : null,
    },
  }))
}

export async function queryAuditLog(
  actor: Actor | null,
  platformId: string,
  f: AuditFilters,
  take = 50,
  locale: Locale = 'zh-CN',
) {
  const rows = await prisma.auditLog.findMany({
    where: await where(actor, platformId, f),
    orderBy: { id: 'desc' },
    take: take + 1,
    select,
  })
  return {
    rows: await inWords(rows.slice(0, take), locale),
    next: rows.length > take ? rows[take - 1]!.id.toString() : null,
  }
}

/** The CSV's columns, in order (the route names them in the reader's language). */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'time',
  'action',
  'actor',
  'actorId',
  'platform',
  'targetType',
  'target',
  'targetId',
  'ip',
  'details',
  'data',
] as const

/** The filtered trail as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese), in the
 * same words as the page: action names, objects by title, details, Beijing time. */
export async function* auditCsv(
  actor: Actor | null,
  platformId: string,
  f: AuditFilters,
  headers: string[],
  locale: Locale = 'zh-CN',
) {
  const w = await where(actor, platformId, f)
  yield CSV_BOM + headers.map(csvCell).join(',') + '\r\n'
  let before: bigint | null = null
  for (let n = 0; n < 100; n++) {
    const rows: AuditRow[] = await prisma.auditLog.findMany({
      where: { AND: [w, before ? { id: { lt: before } } : {}] },
      orderBy: { id: 'desc' },
      take: 1_000,
      select,
    })
    if (!rows.length) return
    for (const r of await inWords(rows, locale))
      yield (
        [
          r.id,
          r.time,
          r.actionName,
          r.actorName,
          r.actorId ?? '',
          r.platformName,
          r.targetTypeName,
          r.target?.label ?? '',
          r.targetId ?? '',
          r.ip ?? '',
          r.details.join('；'),
          r.data,
        ]
          .map(csvCell)
          .join(',') + '\r\n'
      )
    before = rows[rows.length - 1]!.id
  }
}
