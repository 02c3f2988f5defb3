/**
 * The audit trail in words: what each entry's action is called, which object it concerns (by
 * title or name, with a link where there is a page), and its details as "field: before → after"
 * or "field: value", with codes (roles, resource types, statuses, reasons) shown by their names.
 * Used by the audit page, the admin page's latest entries and the CSV export, so that all three
 * say the same thing.
 */
import { prisma, type Prisma } from '~/lib/db.server.ts'
import { formatMb } from '~/services/media/limits.server.ts'
import { isMessageKey, type MessageKey, type Translate } from '~/lib/i18n/index.ts'
import type { AuditAction } from '../audit.server.ts'
import { maskContact } from './contact-mask.ts'

/* Every action the code can write has a name in both languages: the type checker refuses an
 * AuditAction without an `audit.<action>` key (zh-CN is the source; en must have the same keys). */
type Unnamed = Exclude<`audit.${AuditAction}`, MessageKey>
const everyActionHasAName: [Unnamed] extends [never] ? true : Unnamed = true
void everyActionHasAName

export function actionName(t: Translate, action: string) {
  const key = `audit.${action}`
  return isMessageKey(key) ? t(key) : action
}

type Row = { action: string; targetType: string | null; targetId: string | null; data: Prisma.JsonValue }
/** An object by its name, and where its page is: a platform's page (`path` under it), for the
 * route to turn into a link as the request is served (app/lib/platform-links.ts). */
export type AuditTarget = { label: string; link: { slug: string; domain: string | null; path: string } | null }

const ID = /^[a-z0-9]{8,40}$/i

/** Titles and names of the objects a page of entries refers to, in one query per kind. */
export async function loadTargets(rows: Row[]) {
  const ids = (type: string) => [
    ...new Set(rows.filter((r) => r.targetType === type && r.targetId && ID.test(r.targetId)).map((r) => r.targetId!)),
  ]
  // Users named in the details (a reviewer assigned) are looked up with the targets.
  const detailUsers = rows
    .map((r) => (r.data && typeof r.data === 'object' && !Array.isArray(r.data) ? r.data.reviewer : null))
    .filter((v): v is string => typeof v === 'string' && ID.test(v))
  const platformLink = { select: { slug: true, domain: true } } as const
  const resourceSelect = { id: true, title: true, status: true, platform: platformLink } as const
  const [resources, users, reviews, comments, platforms, collections, files, requests] = await Promise.all([
    prisma.resource.findMany({ where: { id: { in: ids('Resource') } }, select: resourceSelect }),
    prisma.user.findMany({
      where: { id: { in: [...ids('User'), ...detailUsers] } },
      select: { id: true, displayName: true },
    }),
    prisma.review.findMany({
      where: { id: { in: ids('Review') } },
      select: { id: true, resource: { select: resourceSelect } },
    }),
    prisma.comment.findMany({
      where: { id: { in: ids('Comment') } },
      select: { id: true, body: true, resource: { select: resourceSelect } },
    }),
    prisma.platform.findMany({
      where: { id: { in: ids('Platform') } },
      select: { id: true, name: true, slug: true, domain: true },
    }),
    prisma.featuredCollection.findMany({
      where: { id: { in: ids('FeaturedCollection') } },
      select: { id: true, title: true, platform: platformLink },
    }),
    prisma.resourceFile.findMany({
      where: { id: { in: ids('ResourceFile') } },
      select: { id: true, originalName: true, resource: { select: resourceSelect } },
    }),
    prisma.teacherRequest.findMany({
      where: { id: { in: ids('TeacherRequest') } },
      select: { id: true, user: { select: { displayName: true } } },
    }),
  ])
  type R = (typeof resources)[number]
  // A deleted resource keeps its title in the trail but has no page any more.
  const resourceTarget = (r: R, label = r.title): AuditTarget => ({
    label,
    link: r.status === 'DELETED' ? null : { ...r.platform, path: `/r/${r.id}` },
  })
  const map = new Map<string, AuditTarget>()
  for (const r of resources) map.set(`Resource:${r.id}`, resourceTarget(r))
  for (const u of users) map.set(`User:${u.id}`, { label: u.displayName, link: null })
  for (const r of reviews) map.set(`Review:${r.id}`, resourceTarget(r.resource))
  for (const c of comments)
    map.set(`Comment:${c.id}`, resourceTarget(c.resource, `“${excerpt(c.body, 30)}” · ${c.resource.title}`))
  for (const p of platforms)
    map.set(`Platform:${p.id}`, { label: p.name, link: { slug: p.slug, domain: p.domain, path: '' } })
  for (const c of collections)
    map.set(`FeaturedCollection:${c.id}`, { label: c.title, link: { ...c.platform, path: '' } })
  for (const f of files)
    map.set(`ResourceFile:${f.id}`, resourceTarget(f.resource, `${f.originalName} · ${f.resource.title}`))
  for (const r of requests) map.set(`TeacherRequest:${r.id}`, { label: r.user.displayName, link: null })
  return {
    target: (row: Row): AuditTarget | null =>
      row.targetType && row.targetId ? (map.get(`${row.targetType}:${row.targetId}`) ?? null) : null,
    userName: (id: string) => map.get(`User:${id}`)?.label ?? null,
  }
}
export type AuditTargets = Awaited<ReturnType<typeof loadTargets>>

export function targetTypeName(t: Translate, type: string | null) {
  if (!type) return ''
  const key = `admin.audit.type.${type}`
  return isMessageKey(key) ? t(key) : type
}

function excerpt(s: string, n: number) {
  const one = s.replace(/\s+/g, ' ').trim()
  return one.length > n ? one.slice(0, n) + '…' : one
}

// ── details ───────────────────────────────────────────────────────────────────────────────────

type Ctx = { t: Translate; action: string; targets: AuditTargets }
type Format = (v: unknown, c: Ctx) => string

const code =
  (prefix: string): Format =>
  (v, { t }) => {
    const key = `${prefix}${String(v)}`
    return isMessageKey(key) ? t(key) : String(v)
  }
const codes =
  (prefix: string): Format =>
  (v, c) =>
    Array.isArray(v)
      ? v.length
        ? v.map((x) => code(prefix)(x, c)).join('、')
        : c.t('admin.audit.none')
      : code(prefix)(v, c)
const count: Format = (v, { t }) => t('admin.audit.count', { n: Array.isArray(v) ? v.length : Number(v) || 0 })
const yesNo: Format = (v, { t }) => (v ? t('admin.audit.yes') : t('admin.audit.no'))
const text: Format = (v, { t }) => {
  if (v === null || v === undefined || v === '') return t('admin.audit.none')
  if (Array.isArray(v)) return v.length ? v.map(String).join('、') : t('admin.audit.none')
  return excerpt(String(v), 80)
}
const logo: Format = (v, { t }) => (v ? t('admin.audit.logoSet') : t('admin.audit.none'))
const scores: Format = (v, c) =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.entries(v)
        .map(([k, n]) => `${code('review.criterion.')(k, c)} ${String(n)}`)
        .join('、')
    : text(v, c)
const reason: Format = (v, c) => {
  if (c.action === 'resource.takedown' || c.action === 'resource.report_handled') return code('review.takedown.')(v, c)
  if (c.action === 'resource.report' || c.action === 'comment.report') return code('engagement.reason.')(v, c)
  return text(v, c)
}
const account: Format = (v) => {
  const s = String(v ?? '')
  const i = s.indexOf(':')
  return maskContact(i >= 0 ? s.slice(i + 1) : s)
}
const userRef: Format = (v, c) => (typeof v === 'string' && c.targets.userName(v)) || c.t('admin.audit.someone')

/** How each detail's value reads; its name is `admin.audit.field.<key>`. Keys not listed here are
 * ids and bookkeeping (revisionId, reviewId, …): the CSV's raw column keeps them, the words do not. */
const FIELDS = {
  name: text,
  bannerText: text,
  primaryColor: text,
  accentColor: text,
  logoUrl: logo,
  hostUnit: text,
  contact: text,
  icpNumber: text,
  registrationMode: code('admin.audit.registration.'),
  reviewRequired: yesNo,
  reviewersNeeded: text,
  reviewCriteria: codes('review.criterion.'),
  reviewPassScore: text,
  sensitiveWords: count,
  role: code('role.'),
  reason,
  note: text,
  outcome: code('admin.audit.outcome.'),
  decision: code('admin.audit.decision.'),
  reasons: codes('review.reason.'),
  scores,
  kind: code('admin.audit.kind.'),
  reviewer: userRef,
  title: text,
  description: text,
  resourceType: code('resourceType.'),
  subject: code('subject.'),
  grade: code('grade.'),
  licence: code('licence.'),
  keywords: text,
  author: text,
  provider: text,
  curriculum: count,
  knowledgePoints: count,
  version: text,
  pending: yesNo,
  discarded: yesNo,
  size: ((v) => formatMb(Number(v) || 0)) as Format,
  replaces: yesNo,
  reports: text,
  platforms: count,
  roles: codes('role.'),
  op: code('admin.audit.op.'),
  account,
  scope: code('admin.audit.scope.'),
} satisfies Record<string, Format>
type Field = keyof typeof FIELDS
// Every detail has a name in both languages (the type checker refuses a field without one).
type UnnamedField = Exclude<`admin.audit.field.${Field}`, MessageKey>
const everyFieldHasAName: [UnnamedField] extends [never] ? true : UnnamedField = true
void everyFieldHasAName

const ORDER = new Map((Object.keys(FIELDS) as Field[]).map((f, i) => [f, i]))
const fieldOf = (key: string) => (Object.hasOwn(FIELDS, key) ? (key as Field) : null)
const label = (t: Translate, f: Field) => t(`admin.audit.field.${f}`)

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** The details of one entry, one line per field, in the reader's language. */
export function describeDetails(row: Row, t: Translate, targets: AuditTargets): string[] {
  const data = row.data
  if (!isObject(data)) return []
  const c: Ctx = { t, action: row.action, targets }
  // Lines come in the order of FIELDS (the database keeps JSON keys in its own order).
  const lines: [number, string][] = []
  const add = (f: Field, text: string) => lines.push([ORDER.get(f)!, `${label(t, f)}: ${text}`])
  // A change recorded as { before, after }: only what changed, "field: before → after".
  if (isObject(data.before) && isObject(data.after)) {
    const before = data.before
    const after = data.after
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const f = fieldOf(key)
      if (!f || same(before[key], after[key])) continue
      const fmt: Format = FIELDS[f]
      add(f, `${fmt(before[key], c)} → ${fmt(after[key], c)}`)
    }
  }
  const one = (key: string, value: unknown) => {
    const f = fieldOf(key)
    if (f) add(f, FIELDS[f](value, c))
  }
  for (const [key, value] of Object.entries(data)) {
    if (key === 'before' || key === 'after') continue
    // Review rules and other grouped settings are spelled out field by field.
    if (isObject(value) && key !== 'scores') {
      for (const [k, v] of Object.entries(value)) one(k, v)
      continue
    }
    // An empty note says nothing.
    if (key === 'note' && !value) continue
    one(key, value)
  }
  return lines.sort((a, b) => a[0] - b[0]).map(([, l]) => l)
}

/** The raw data for the CSV's last column, with phone numbers and e-mail addresses masked as
 * everywhere else in the trail. */
export function rawData(data: Prisma.JsonValue) {
  if (data === null) return ''
  return JSON.stringify(data)
    .replace(/(?<!\d)1\d{10}(?!\d)/g, (m) => maskContact(m))
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => maskContact(m))
}
