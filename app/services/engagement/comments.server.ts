/**
 * Comments under a resource. Anyone signed in who can see the resource may comment; anyone
 * may report a comment once; the platform's moderators (its admins and reviewers) hide it,
 * which also settles its open reports. Hidden comments stay in the database for the trail.
 */
import { stripControl } from '~/lib/text.ts'
import { prisma, type Tx } from '~/lib/db.server.ts'
import { notify } from '../notifications/notify.server.ts'
import { findWords, wordsFor } from '../safety/sensitive-words.server.ts'
import { conflict, forbidden, notFound, rateLimited, unauthenticated, validation } from '~/lib/errors.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'

import { REPORT_REASONS } from '~/lib/review-codes.ts'

export { REPORT_REASONS }
export const COMMENT_MAX = 1_000
/** A person typing real comments does not write more than this in a minute. */
const PER_MINUTE = 5

type Meta = { ip?: string; requestId?: string }

function cleanBody(body: unknown) {
  if (typeof body !== 'string') throw validation({ body: 'validation.required' })
  // Control characters (other than line breaks) have no place in a comment.
  const text = stripControl(body, { keepLineBreaks: true }).trim()
  if (!text) throw validation({ body: 'engagement.error.emptyComment' }, 'engagement.error.emptyComment')
  if ([...text].length > COMMENT_MAX)
    throw validation({ body: 'engagement.error.commentTooLong' }, 'engagement.error.commentTooLong')
  return text
}

export async function addComment(
  actor: Actor | null,
  resourceId: string,
  portal: PlatformRef,
  body: unknown,
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  const text = cleanBody(body)
  const { resource } = await loadVisibleResource(actor, resourceId, portal)
  if (resource.status !== 'PUBLISHED') throw validation({}, 'engagement.error.notPublished')
  const recent = await prisma.comment.count({
    where: { authorId: actor.userId, createdAt: { gt: new Date(Date.now() - 60_000) } },
  })
  if (recent >= PER_MINUTE) throw rateLimited(60)
  // A comment with a sensitive word waits for a moderator before anyone else sees it.
  const flagged = findWords(text, await wordsFor(resource.platform.path))
  return prisma.$transaction(async (tx) => {
    const c = await tx.comment.create({
      data: {
        resourceId,
        authorId: actor.userId,
        body: text,
        ...(flagged.length ? { status: 'HIDDEN' as const, hiddenReason: 'PENDING', flaggedWords: flagged } : {}),
      },
      select: { id: true, status: true },
    })
    await writeAudit(
      {
        action: 'comment.create',
        actorId: actor.userId,
        platformId: resource.platformId,
        targetType: 'Comment',
        targetId: c.id,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
    return c
  })
}

/** Tells the people who reported a comment what became of it. */
async function notifyReporters(tx: Tx, commentId: string, resourceId: string, outcome: 'HIDDEN' | 'KEPT') {
  const open = await tx.commentReport.findMany({ where: { commentId, handledAt: null }, select: { reporterId: true } })
  const r = await tx.resource.findUniqueOrThrow({
    where: { id: resourceId },
    select: { title: true, platform: { select: { slug: true } } },
  })
  await notify(
    tx,
    open.map((x) => x.reporterId),
    'report.handled',
    { title: r.title, outcome },
    `/p/${r.platform.slug}/r/${resourceId}`,
  )
}

async function loadComment(commentId: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(commentId)) throw notFound()
  const c = await prisma.comment.findUnique({
    where: { id: commentId },
    include: { resource: { select: { id: true, platformId: true, platform: { select: { id: true, path: true } } } } },
  })
  if (!c) throw notFound()
  return c
}

export function canModerate(actor: Actor | null, platform: PlatformRef) {
  return can(actor, 'platform.moderate', platform)
}

export async function reportComment(
  actor: Actor | null,
  commentId: string,
  portal: PlatformRef,
  reason: unknown,
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  if (typeof reason !== 'string' || !(REPORT_REASONS as readonly string[]).includes(reason))
    throw validation({ reason: 'engagement.error.badReason' }, 'engagement.error.badReason')
  const c = await loadComment(commentId)
  await loadVisibleResource(actor, c.resourceId, portal)
  if (c.status === 'HIDDEN') return
  await prisma.$transaction(async (tx) => {
    const existing = await tx.commentReport.findUnique({
      where: { commentId_reporterId: { commentId, reporterId: actor.userId } },
    })
    if (existing) throw conflict('engagement.error.alreadyReported')
    await tx.commentReport.create({ data: { commentId, reporterId: actor.userId, reason } })
    await tx.comment.update({ where: { id: commentId }, data: { reportCount: { increment: 1 } } })
    await writeAudit(
      {
        action: 'comment.report',
        actorId: actor.userId,
        platformId: c.resource.platformId,
        targetType: 'Comment',
        targetId: commentId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reason },
      },
      tx,
    )
  })
}

export async function hideComment(actor: Actor | null, commentId: string, reason: unknown, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const c = await loadComment(commentId)
  if (!canModerate(actor, c.resource.platform)) throw forbidden()
  const why = typeof reason === 'string' && (REPORT_REASONS as readonly string[]).includes(reason) ? reason : 'OTHER'
  await prisma.$transaction(async (tx) => {
    await tx.comment.update({
      where: { id: commentId },
      data: { status: 'HIDDEN', hiddenById: actor.userId, hiddenReason: why, reportCount: 0 },
    })
    await notifyReporters(tx, commentId, c.resource.id, 'HIDDEN')
    await tx.commentReport.updateMany({ where: { commentId, handledAt: null }, data: { handledAt: new Date() } })
    await writeAudit(
      {
        action: 'comment.hide',
        actorId: actor.userId,
        platformId: c.resource.platformId,
        targetType: 'Comment',
        targetId: commentId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reason: why },
      },
      tx,
    )
  })
}

/** Visible comments, newest first; moderators also see hidden ones and report counts. */
export async function listComments(actor: Actor | null, resource: { id: string; platform: PlatformRef }, take = 50) {
  const moderator = canModerate(actor, resource.platform)
  const rows = await prisma.comment.findMany({
    where: {
      resourceId: resource.id,
      ...(moderator
        ? {}
        : {
            OR: [
              { status: 'VISIBLE' as const },
              ...(actor ? [{ authorId: actor.userId, hiddenReason: 'PENDING' }] : []),
            ],
          }),
    },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      body: true,
      status: true,
      hiddenReason: true,
      reportCount: true,
      createdAt: true,
      authorId: true,
      author: { select: { displayName: true } },
    },
  })
  return {
    moderator,
    comments: rows.map((r) => ({
      id: r.id,
      body: r.body,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      authorName: r.author.displayName,
      mine: !!actor && r.authorId === actor.userId,
      reportCount: moderator ? r.reportCount : 0,
      pending: r.hiddenReason === 'PENDING',
    })),
  }
}

/** The moderators' queue: visible comments with open reports on this platform's resources. */
export async function listReportedComments(actor: Actor | null, platform: PlatformRef, take = 100) {
  if (!actor) throw unauthenticated()
  if (!canModerate(actor, platform)) throw forbidden()
  const rows = await prisma.comment.findMany({
    where: {
      resource: { platformId: platform.id },
      OR: [
        { status: 'VISIBLE', reportCount: { gt: 0 } },
        { status: 'HIDDEN', hiddenReason: 'PENDING' },
      ],
    },
    orderBy: [{ reportCount: 'desc' }, { createdAt: 'asc' }],
    take,
    select: {
      id: true,
      body: true,
      reportCount: true,
      createdAt: true,
      flaggedWords: true,
      hiddenReason: true,
      author: { select: { displayName: true } },
      resource: { select: { id: true, title: true } },
      reports: { where: { handledAt: null }, select: { reason: true } },
    },
  })
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    reportCount: r.reportCount,
    createdAt: r.createdAt.toISOString(),
    authorName: r.author.displayName,
    resource: r.resource,
    reasons: [...new Set(r.reports.map((x) => x.reason))],
    held: r.hiddenReason === 'PENDING',
    flaggedWords: r.flaggedWords,
  }))
}

/** A moderator keeps a reported comment: its open reports are closed, it stays visible. */
export async function dismissReports(actor: Actor | null, commentId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const c = await loadComment(commentId)
  if (!canModerate(actor, c.resource.platform)) throw forbidden()
  await prisma.$transaction(async (tx) => {
    await notifyReporters(tx, commentId, c.resource.id, 'KEPT')
    await tx.commentReport.updateMany({ where: { commentId, handledAt: null }, data: { handledAt: new Date() } })
    await tx.comment.update({
      where: { id: commentId },
      data: {
        reportCount: 0,
        ...(c.status === 'HIDDEN' && c.hiddenReason === 'PENDING'
          ? { status: 'VISIBLE' as const, hiddenReason: null }
          : {}),
      },
    })
    await writeAudit(
      {
        action: 'comment.keep',
        actorId: actor.userId,
        platformId: c.resource.platformId,
        targetType: 'Comment',
        targetId: commentId,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
  })
}
