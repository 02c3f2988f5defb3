/** What reviewers and uploaders read of the review workflow: the queue, one review's dossier,
 * and the latest decision an uploader acts on. */
import { prisma } from '~/lib/db.server.ts'
import { forbidden, notFound, unauthenticated } from '~/lib/errors.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import { diffVersions, isReviewerOf } from './rules.server.ts'
import { findWords, wordsFor } from '../safety/sensitive-words.server.ts'

export type QueueFilters = {
  subject?: string | null
  type?: string | null
  from?: string | null
  olderThanDays?: string | null
}

export async function listQueue(actor: Actor | null, platform: PlatformRef, filters: QueueFilters = {}) {
  if (!actor) throw unauthenticated()
  // Reviewers work the queue; the platform's admins see it to assign work.
  if (!can(actor, 'platform.moderate', platform)) throw forbidden()
  const subject = filters.subject && /^[A-Z_]{2,20}$/.test(filters.subject) ? filters.subject : undefined
  const type = filters.type && /^[A-Z_]{2,20}$/.test(filters.type) ? filters.type : undefined
  // "from": the platform a resource comes from (a county, for a city's recommendations).
  const from = filters.from && /^[a-z0-9]{8,40}$/i.test(filters.from) ? filters.from : undefined
  const days = filters.olderThanDays && /^(1|3|7|30)$/.test(filters.olderThanDays) ? Number(filters.olderThanDays) : 0
  const rows = await prisma.review.findMany({
    where: {
      platformId: platform.id,
      status: 'OPEN',
      resource: {
        ...(subject ? { subject } : {}),
        ...(type ? { resourceType: type } : {}),
        ...(from ? { platformId: from } : {}),
      },
      ...(days ? { submittedAt: { lt: new Date(Date.now() - days * 86_400_000) } } : {}),
    },
    orderBy: { submittedAt: 'asc' },
    take: 200,
    select: {
      id: true,
      kind: true,
      submittedAt: true,
      resource: {
        select: {
          id: true,
          title: true,
          resourceType: true,
          subject: true,
          kind: true,
          ownerId: true,
          owner: { select: { displayName: true } },
          platform: { select: { id: true, name: true } },
        },
      },
      decisions: { select: { reviewerId: true, decidedAt: true } },
    },
  })
  const reviewerIds = [...new Set(rows.flatMap((r) => r.decisions.map((d) => d.reviewerId)))]
  const names = new Map(
    (await prisma.user.findMany({ where: { id: { in: reviewerIds } }, select: { id: true, displayName: true } })).map(
      (u) => [u.id, u.displayName],
    ),
  )
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    submittedAt: r.submittedAt.toISOString(),
    ageMinutes: Math.floor((Date.now() - r.submittedAt.getTime()) / 60_000),
    resource: {
      id: r.resource.id,
      title: r.resource.title,
      type: r.resource.resourceType,
      subject: r.resource.subject,
      kind: r.resource.kind,
      ownerName: r.resource.owner.displayName,
      platformName: r.resource.platform.name,
      platformId: r.resource.platform.id,
    },
    claimedBy: r.decisions.map((d) => names.get(d.reviewerId) ?? ''),
    mine: r.decisions.some((d) => d.reviewerId === actor.userId),
    own: r.resource.ownerId === actor.userId,
  }))
}

export async function getReviewDossier(actor: Actor | null, reviewId: string) {
  if (!actor) throw unauthenticated()
  if (!/^[a-z0-9]{8,40}$/i.test(reviewId)) throw notFound()
  const review = await prisma.review.findUnique({
    where: { id: reviewId },
    include: {
      platform: {
        select: {
          id: true,
          path: true,
          slug: true,
          name: true,
          reviewCriteria: true,
          reviewPassScore: true,
          reviewersNeeded: true,
        },
      },
      decisions: true,
      resource: {
        select: {
          id: true,
          title: true,
          description: true,
          ownerId: true,
          status: true,
          platformId: true,
          licence: true,
          priceCents: true,
          platform: { select: { slug: true, name: true } },
        },
      },
    },
  })
  if (!review) throw notFound()
  if (!isReviewerOf(actor, review.platform)) throw forbidden()
  const [versions, files, sameTitle, history] = await Promise.all([
    prisma.resourceVersion.findMany({
      where: { resourceId: review.resourceId },
      orderBy: { number: 'desc' },
      take: 10,
    }),
    prisma.resourceFile.findMany({
      where: { resourceId: review.resourceId },
      select: { role: true, status: true, textContent: true },
    }),
    prisma.resource.count({
      where: {
        platformId: review.resource.platformId,
        title: review.resource.title,
        id: { not: review.resourceId },
        status: { notIn: ['DELETED', 'DUPLICATE'] },
      },
    }),
    prisma.review.findMany({
      where: { resourceId: review.resourceId, status: 'DECIDED', id: { not: reviewId } },
      orderBy: { decidedAt: 'desc' },
      take: 10,
      select: {
        id: true,
        kind: true,
        outcome: true,
        decidedAt: true,
        decisions: { select: { outcome: true, reasons: true, comment: true, fieldComments: true } },
      },
    }),
  ])
  const current = versions.find((v) => v.id === review.versionId) ?? versions[0] ?? null
  const previous = current ? (versions.find((v) => v.number === current.number - 1) ?? null) : null
  const meta = (current?.metadata ?? {}) as { curriculum?: string[]; description?: string }
  const flags: { key: string; params?: Record<string, string | number> }[] = []
  if (sameTitle) flags.push({ key: 'review.flag.duplicateTitle', params: { n: sameTitle } })
  if (!meta.curriculum?.length) flags.push({ key: 'review.flag.noCurriculum' })
  if ((meta.description ?? '').trim().length < 10) flags.push({ key: 'review.flag.shortDescription' })
  if (files.some((f) => f.status === 'FAILED' || f.status === 'REJECTED'))
    flags.push({ key: 'review.flag.processingFailed' })
  const words = findWords(
    [
      meta.description ?? '',
      (current?.metadata as { title?: string } | undefined)?.title ?? '',
      ...((current?.metadata as { keywords?: string[] } | undefined)?.keywords ?? []),
    ].join(' '),
    await wordsFor(review.platform.path),
  )
  if (words.length) flags.push({ key: 'review.flag.sensitive', params: { words: words.join('、') } })
  if (review.resource.licence === 'PREMIUM' && review.resource.priceCents)
    flags.push({ key: 'review.flag.premium', params: { price: `¥${(review.resource.priceCents / 100).toFixed(2)}` } })
  const mine = review.decisions.find((d) => d.reviewerId === actor.userId) ?? null
  return {
    review: {
      id: review.id,
      kind: review.kind,
      status: review.status,
      outcome: review.outcome,
      submittedAt: review.submittedAt.toISOString(),
      platform: review.platform,
    },
    resource: review.resource,
    version: current ? { number: current.number, metadata: current.metadata as Record<string, unknown> } : null,
    changes: current && previous ? diffVersions(previous, current) : null,
    text: (files.find((f) => f.role === 'PRIMARY')?.textContent ?? '').slice(0, 5_000),
    flags,
    history: history.map((h) => ({ ...h, decidedAt: h.decidedAt?.toISOString() ?? null })),
    mine: mine ? { decided: !!mine.decidedAt } : null,
    canDecide:
      review.status === 'OPEN' &&
      review.resource.ownerId !== actor.userId &&
      review.submittedById !== actor.userId &&
      (!!mine || review.decisions.length < review.platform.reviewersNeeded),
  }
}

/** The latest settled review of a resource's submission, for its owner to act on. */
export async function latestDecision(resourceId: string) {
  const r = await prisma.review.findFirst({
    where: { resourceId, kind: 'SUBMISSION', status: 'DECIDED' },
    orderBy: { decidedAt: 'desc' },
    select: {
      outcome: true,
      decidedAt: true,
      decisions: {
        where: { decidedAt: { not: null } },
        select: { outcome: true, reasons: true, comment: true, fieldComments: true },
      },
    },
  })
  if (!r) return null
  return {
    outcome: r.outcome!,
    decidedAt: r.decidedAt!.toISOString(),
    reasons: [...new Set(r.decisions.flatMap((d) => d.reasons))],
    comments: r.decisions.map((d) => d.comment).filter(Boolean),
    fieldComments: r.decisions.flatMap((d) =>
      Object.entries((d.fieldComments ?? {}) as Record<string, string>).map(([field, text]) => ({ field, text })),
    ),
  }
}

/** What the resource page offers this actor in the workflow, and what the owner must act on. */
export async function resourceWorkflow(actor: Actor | null, resourceId: string) {
  const r = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: {
      status: true,
      ownerId: true,
      takedownReason: true,
      platform: { select: { id: true, path: true, reviewRequired: true } },
      scopePlatform: { select: { id: true, path: true, parentId: true } },
      files: { where: { role: 'PRIMARY' }, select: { status: true }, take: 1 },
      reviews: { where: { status: 'OPEN' }, select: { kind: true } },
    },
  })
  if (!r) throw notFound()
  const isOwner = !!actor && actor.userId === r.ownerId
  const scope = r.scopePlatform
  const admin = can(actor, 'resource.takedown', r.platform) || (!!scope && can(actor, 'resource.takedown', scope))
  return {
    status: r.status,
    reviewRequired: r.platform.reviewRequired,
    canSubmit: isOwner && (r.status === 'DRAFT' || r.status === 'CHANGES_REQUESTED') && r.files[0]?.status === 'READY',
    canTakedown: admin && r.status === 'PUBLISHED',
    canRestore: admin && r.status === 'TAKEN_DOWN',
    canRecommend:
      r.status === 'PUBLISHED' &&
      !isOwner &&
      !!scope?.parentId &&
      isReviewerOf(actor, scope) &&
      !r.reviews.some((x) => x.kind === 'RECOMMENDATION'),
    recommended: r.reviews.some((x) => x.kind === 'RECOMMENDATION'),
    takedownReason: r.takedownReason,
    decision: isOwner || admin || isReviewerOf(actor, r.platform) ? await latestDecision(resourceId) : null,
  }
}

/** The platform's reviewers (whom an admin may assign a review to). */
export async function reviewersFor(platformId: string) {
  const rows = await prisma.roleAssignment.findMany({
    where: { platformId, role: 'REVIEWER', user: { status: 'ACTIVE' } },
    select: { user: { select: { id: true, displayName: true } } },
  })
  return rows.map((r) => r.user)
}
