/**
 * Reports on resources: anyone signed in who can see a published resource may report it, once
 * while their report is open; the platform's moderators (admins and reviewers) keep it, and its
 * admins may take it down. Reporters are told what became of their report.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import { stripControl } from '~/lib/text.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { notify } from '../notifications/notify.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'
import { takedownResource } from '../review/workflow.server.ts'
import { canModerate } from '../engagement/comments.server.ts'
import { RESOURCE_REPORT_REASONS } from '~/lib/review-codes.ts'

type Meta = { ip?: string; requestId?: string }

export async function reportResource(
  actor: Actor | null,
  resourceId: string,
  portal: PlatformRef,
  reason: unknown,
  detail: unknown,
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  if (typeof reason !== 'string' || !(RESOURCE_REPORT_REASONS as readonly string[]).includes(reason))
    throw validation({ reason: 'engagement.error.badReason' }, 'engagement.error.badReason')
  const { resource } = await loadVisibleResource(actor, resourceId, portal)
  if (resource.status !== 'PUBLISHED') throw validation({}, 'engagement.error.notPublished')
  const text = typeof detail === 'string' ? stripControl(detail, { keepLineBreaks: true }).trim().slice(0, 500) : ''
  await prisma.$transaction(async (tx) => {
    if (
      await tx.resourceReport.findFirst({
        where: { resourceId, reporterId: actor.userId, handledAt: null },
        select: { id: true },
      })
    )
      throw conflict('safety.error.alreadyReported')
    const r = await tx.resourceReport.create({ data: { resourceId, reporterId: actor.userId, reason, detail: text } })
    await writeAudit(
      {
        action: 'resource.report',
        actorId: actor.userId,
        platformId: resource.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reason, reportId: r.id },
      },
      tx,
    )
  })
}

export async function listReportedResources(actor: Actor | null, platform: PlatformRef) {
  if (!actor) throw unauthenticated()
  if (!canModerate(actor, platform)) throw forbidden()
  const rows = await prisma.resourceReport.findMany({
    where: { handledAt: null, resource: { platformId: platform.id } },
    orderBy: { createdAt: 'asc' },
    take: 200,
    select: {
      reason: true,
      detail: true,
      createdAt: true,
      resource: { select: { id: true, title: true, status: true } },
    },
  })
  const byResource = new Map<
    string,
    { id: string; title: string; status: string; reasons: string[]; details: string[]; count: number; since: string }
  >()
  for (const r of rows) {
    const e = byResource.get(r.resource.id) ?? {
      ...r.resource,
      reasons: [],
      details: [],
      count: 0,
      since: r.createdAt.toISOString(),
    }
    e.count++
    if (!e.reasons.includes(r.reason)) e.reasons.push(r.reason)
    if (r.detail) e.details.push(r.detail)
    byResource.set(r.resource.id, e)
  }
  return [...byResource.values()].sort((a, b) => b.count - a.count)
}

/** Handles every open report on a resource: keep it, or take it down (admins only). */
export async function handleResourceReports(
  actor: Actor | null,
  resourceId: string,
  decision: 'KEEP' | 'TAKEDOWN',
  reason: unknown,
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  const r = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: { id: true, title: true, platformId: true, platform: { select: { id: true, path: true, slug: true } } },
  })
  if (!r) throw notFound()
  if (!canModerate(actor, r.platform)) throw forbidden()
  if (decision === 'TAKEDOWN') await takedownResource(actor, resourceId, reason, '', meta)
  await prisma.$transaction(async (tx) => {
    const open = await tx.resourceReport.findMany({
      where: { resourceId, handledAt: null },
      select: { reporterId: true },
    })
    await tx.resourceReport.updateMany({
      where: { resourceId, handledAt: null },
      data: {
        handledAt: new Date(),
        handledById: actor.userId,
        outcome: decision === 'TAKEDOWN' ? 'TAKEN_DOWN' : 'KEPT',
      },
    })
    await notify(
      tx,
      open.map((o) => o.reporterId),
      'report.handled',
      { title: r.title, outcome: decision === 'TAKEDOWN' ? 'TAKEN_DOWN' : 'RESOURCE_KEPT' },
      `/p/${r.platform.slug}/r/${resourceId}`,
    )
    await writeAudit(
      {
        action: 'resource.report_handled',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { decision, reports: open.length },
      },
      tx,
    )
  })
}
