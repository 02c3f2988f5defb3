/**
 * 资源管理: the resources a platform's admins answer for — those uploaded on the platform and on
 * every platform below it (`resource.takedown` reaches descendants) — searched, filtered and a
 * page at a time, with takedown (下架) and restore for several at once.
 *
 * A bulk action is a loop of the one-resource services (takedownResource, restoreResource in
 * app/services/review/workflow.server.ts): each item is checked, changed and audited exactly as
 * if it were done alone, and the caller gets a result per item. Nothing here decides who may
 * take what down; it only keeps the loop to this platform's resources.
 */
import { prisma, type Prisma, type ResourceStatus } from '~/lib/db.server.ts'
import { formatDate } from '~/lib/dates.ts'
import { isAppError, notFound, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { RESOURCE_TYPES } from '~/lib/curriculum.ts'
import { withinPath } from '~/models/platform.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { restoreResource, takedownResource } from '../review/workflow.server.ts'

type Meta = { ip?: string; requestId?: string }

export const RESOURCES_PAGE_SIZE = 20
/** At most this many resources in one bulk action (one form post). */
export const BULK_MAX = 50

/** The statuses an admin can filter by, most relevant first (DELETED is never listed). */
export const MANAGED_STATUSES = [
  'PUBLISHED',
  'TAKEN_DOWN',
  'SUBMITTED',
  'IN_REVIEW',
  'CHANGES_REQUESTED',
  'REJECTED',
  'DRAFT',
  'FAILED',
  'DUPLICATE',
] as const satisfies readonly ResourceStatus[]

export type ResourceFilters = {
  q?: string | null
  status?: string | null
  type?: string | null
  uploader?: string | null
  school?: string | null
  page?: string | number | null
}

function parse(f: ResourceFilters) {
  const pick = <T extends string>(v: string | null | undefined, allowed: readonly T[]) =>
    v && (allowed as readonly string[]).includes(v) ? (v as T) : null
  return {
    q: (f.q ?? '').trim().slice(0, 60),
    status: pick(f.status, MANAGED_STATUSES),
    type: pick(f.type, RESOURCE_TYPES),
    uploader: (f.uploader ?? '').trim().slice(0, 40),
    school: (f.school ?? '').trim().slice(0, 80),
    page: Math.min(Math.max(1, Math.floor(Number(f.page) || 1)), 10_000),
  }
}

async function loadPlatform(actor: Actor | null, platformId: string) {
  const platform = await prisma.platform.findUnique({ where: { id: platformId }, select: { id: true, path: true } })
  if (!platform) throw notFound()
  assertCan(actor, 'resource.takedown', platform)
  return platform
}

export async function listManagedResources(actor: Actor | null, platformId: string, filters: ResourceFilters) {
  const platform = await loadPlatform(actor, platformId)
  const f = parse(filters)
  const owner: Prisma.UserWhereInput = {}
  if (f.uploader) {
    const digits = f.uploader.replace(/[\s-]/g, '')
    owner.OR = [
      { displayName: { contains: f.uploader, mode: 'insensitive' } },
      // A phone number only in full (see members.server.ts: the lists mask them).
      ...(/^1\d{10}$/.test(digits) ? [{ phone: digits }] : []),
    ]
  }
  if (f.school) owner.schoolName = f.school
  const scope = { platform: withinPath(platform.path), status: { not: 'DELETED' as const } }
  const where: Prisma.ResourceWhereInput = {
    ...scope,
    ...(f.status ? { status: f.status } : {}),
    ...(f.type ? { resourceType: f.type } : {}),
    ...(f.q ? { title: { contains: f.q, mode: 'insensitive' } } : {}),
    ...(f.uploader || f.school ? { owner } : {}),
  }
  const [total, rows, schools] = await Promise.all([
    prisma.resource.count({ where }),
    prisma.resource.findMany({
      where,
      select: {
        id: true,
        title: true,
        status: true,
        resourceType: true,
        takedownReason: true,
        updatedAt: true,
        publishedAt: true,
        owner: { select: { displayName: true, schoolName: true } },
        platform: { select: { slug: true, name: true, domain: true } },
      },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      skip: (f.page - 1) * RESOURCES_PAGE_SIZE,
      take: RESOURCES_PAGE_SIZE,
    }),
    // The schools of the people who uploaded here, for the filter.
    prisma.user.findMany({
      where: { schoolName: { not: null }, resources: { some: scope } },
      select: { schoolName: true },
      distinct: ['schoolName'],
      orderBy: { schoolName: 'asc' },
      take: 200,
    }),
  ])
  return {
    filters: { q: f.q, status: f.status ?? '', type: f.type ?? '', uploader: f.uploader, school: f.school },
    page: f.page,
    pages: Math.max(1, Math.ceil(total / RESOURCES_PAGE_SIZE)),
    total,
    schools: schools.map((s) => s.schoolName!).filter(Boolean),
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      resourceType: r.resourceType,
      takedownReason: r.takedownReason,
      ownerName: r.owner.displayName,
      schoolName: r.owner.schoolName,
      platformName: r.platform.name,
      /** Its page, for the route to link as the request is served (app/lib/platform-links.ts). */
      link: { slug: r.platform.slug, domain: r.platform.domain, path: `/r/${r.id}` },
      updated: formatDate(r.updatedAt),
    })),
  }
}

export type BulkItemResult = { id: string; title: string | null; ok: boolean; error?: MessageKey }
export type BulkResult = { done: number; failed: number; items: BulkItemResult[] }

function parseIds(ids: unknown): string[] {
  const list = Array.isArray(ids) ? ids.filter((v): v is string => typeof v === 'string') : []
  const unique = [...new Set(list.map((v) => v.trim()).filter((v) => /^[a-z0-9]{8,40}$/i.test(v)))]
  if (!unique.length)
    throw validation({ ids: 'admin.resources.error.noneSelected' }, 'admin.resources.error.noneSelected')
  if (unique.length > BULK_MAX)
    throw validation({ ids: 'admin.resources.error.tooMany' }, 'admin.resources.error.tooMany')
  return unique
}

/** Resolves the selected ids to this platform's resources (titles for the confirmation and the
 * results); an id outside the platform is reported as not found, never acted on. */
async function resolve(platform: { path: string }, ids: string[]) {
  const found = await prisma.resource.findMany({
    where: { id: { in: ids }, platform: withinPath(platform.path), status: { not: 'DELETED' } },
    select: { id: true, title: true, status: true },
  })
  const byId = new Map(found.map((r) => [r.id, r]))
  return ids.map((id) => ({ id, resource: byId.get(id) ?? null }))
}

async function eachItem(
  items: Awaited<ReturnType<typeof resolve>>,
  run: (id: string) => Promise<void>,
  wrongState: MessageKey,
): Promise<BulkResult> {
  const results: BulkItemResult[] = []
  for (const { id, resource } of items) {
    if (!resource) {
      results.push({ id, title: null, ok: false, error: 'admin.resources.error.notHere' })
      continue
    }
    try {
      await run(id)
      results.push({ id, title: resource.title, ok: true })
    } catch (e) {
      if (!isAppError(e)) throw e
      // A refused input (a reason code that does not exist) is the same for every item: the
      // service refused it before changing anything, so the whole action goes back to the form.
      if (e.code === 'VALIDATION') throw e
      results.push({ id, title: resource.title, ok: false, error: e.code === 'CONFLICT' ? wrongState : e.messageKey })
    }
  }
  const done = results.filter((r) => r.ok).length
  return { done, failed: results.length - done, items: results }
}

/** What a takedown is about to do, for the confirmation step: the selected resources by title. */
export async function previewBulk(actor: Actor | null, platformId: string, ids: unknown) {
  const platform = await loadPlatform(actor, platformId)
  const items = await resolve(platform, parseIds(ids))
  return items.map(({ id, resource }) => ({ id, title: resource?.title ?? null, status: resource?.status ?? null }))
}

/** 批量下架: one reason (and note) for every selected resource; each is taken down and audited on its own. */
export async function bulkTakedown(
  actor: Actor | null,
  platformId: string,
  input: { ids: unknown; reason: unknown; note?: unknown },
  meta: Meta = {},
) {
  const platform = await loadPlatform(actor, platformId)
  const items = await resolve(platform, parseIds(input.ids))
  return eachItem(
    items,
    (id) => takedownResource(actor, id, input.reason, input.note ?? '', meta),
    'admin.resources.error.notPublished',
  )
}

/** 批量恢复: puts taken-down resources back, each on its own and audited. */
export async function bulkRestore(actor: Actor | null, platformId: string, input: { ids: unknown }, meta: Meta = {}) {
  const platform = await loadPlatform(actor, platformId)
  const items = await resolve(platform, parseIds(input.ids))
  return eachItem(items, (id) => restoreResource(actor, id, meta), 'admin.resources.error.notTakenDown')
}
