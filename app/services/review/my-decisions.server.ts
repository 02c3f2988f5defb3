/**
 * A reviewer's own work on a platform: the 已审核 list of their past decisions (with filters),
 * the receipt shown after a decision, and the next item to take up, so a reviewer moves from
 * one dossier to the next instead of back to the queue.
 */
import { prisma, type Prisma } from '~/lib/db.server.ts'
import { forbidden, unauthenticated } from '~/lib/errors.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { isReviewerOf } from './rules.server.ts'
import { OUTCOMES, REVIEW_KINDS } from '~/lib/review-codes.ts'

const ID = /^[a-z0-9]{8,40}$/i
export const DECISIONS_PER_PAGE = 30

export type DecisionFilters = {
  outcome?: string | null
  kind?: string | null
  /** Only the last 7 or 30 days. */
  days?: string | null
  /** Part of the title. */
  q?: string | null
  page?: string | null
}

function requireReviewer(actor: Actor | null, platform: PlatformRef) {
  if (!actor) throw unauthenticated()
  if (!isReviewerOf(actor, platform)) throw forbidden()
  return actor
}

/** 已审核: what this reviewer decided on this platform, newest first. */
export async function listMyDecisions(actor: Actor | null, platform: PlatformRef, filters: DecisionFilters = {}) {
  const me = requireReviewer(actor, platform)
  const outcome = OUTCOMES.find((o) => o === filters.outcome)
  const kind = REVIEW_KINDS.find((k) => k === filters.kind)
  const days = filters.days === '7' || filters.days === '30' ? Number(filters.days) : 0
  const q = (filters.q ?? '').trim().slice(0, 60)
  const where: Prisma.ReviewDecisionWhereInput = {
    reviewerId: me.userId,
    decidedAt: days ? { gte: new Date(Date.now() - days * 86_400_000) } : { not: null },
    ...(outcome ? { outcome } : {}),
    review: {
      platformId: platform.id,
      ...(kind ? { kind } : {}),
      ...(q ? { resource: { title: { contains: q, mode: 'insensitive' } } } : {}),
    },
  }
  const total = await prisma.reviewDecision.count({ where })
  const pages = Math.max(1, Math.ceil(total / DECISIONS_PER_PAGE))
  const page = Math.min(pages, Math.max(1, Number.parseInt(filters.page ?? '1', 10) || 1))
  const rows = await prisma.reviewDecision.findMany({
    where,
    orderBy: { decidedAt: 'desc' },
    skip: (page - 1) * DECISIONS_PER_PAGE,
    take: DECISIONS_PER_PAGE,
    select: {
      outcome: true,
      decidedAt: true,
      reasons: true,
      review: {
        select: {
          id: true,
          kind: true,
          status: true,
          outcome: true,
          resource: { select: { id: true, title: true, resourceType: true, owner: { select: { displayName: true } } } },
        },
      },
    },
  })
  return {
    total,
    page,
    pages,
    filters: { outcome: outcome ?? '', kind: kind ?? '', days: days ? String(days) : '', q },
    items: rows.map((d) => ({
      reviewId: d.review.id,
      kind: d.review.kind,
      resourceId: d.review.resource.id,
      title: d.review.resource.title,
      type: d.review.resource.resourceType,
      ownerName: d.review.resource.owner.displayName,
      outcome: d.outcome!,
      reasons: d.reasons,
      decidedAt: d.decidedAt!.toISOString(),
      /** Where the review needs more than one reviewer and the others have not decided yet. */
      settled: d.review.status === 'DECIDED',
    })),
  }
}

/** What the reviewer just decided, for the confirmation shown with the next item. */
export async function decisionReceipt(actor: Actor | null, platform: PlatformRef, reviewId: string) {
  const me = requireReviewer(actor, platform)
  if (!ID.test(reviewId)) return null
  const d = await prisma.reviewDecision.findUnique({
    where: { reviewId_reviewerId: { reviewId, reviewerId: me.userId } },
    select: {
      outcome: true,
      decidedAt: true,
      review: { select: { platformId: true, status: true, resource: { select: { title: true } } } },
    },
  })
  if (!d?.decidedAt || d.review.platformId !== platform.id) return null
  return { title: d.review.resource.title, outcome: d.outcome!, settled: d.review.status === 'DECIDED' }
}

/**
 * The next open review this reviewer may decide: one they have claimed and not decided, else the
 * oldest with a free place, never their own work. Null when the queue holds nothing for them.
 */
export async function nextReviewFor(
  actor: Actor | null,
  platform: PlatformRef & { reviewersNeeded?: number },
  exceptId = '',
) {
  const me = requireReviewer(actor, platform)
  const needed =
    platform.reviewersNeeded ??
    (await prisma.platform.findUniqueOrThrow({ where: { id: platform.id }, select: { reviewersNeeded: true } }))
      .reviewersNeeded
  const rows = await prisma.review.findMany({
    where: {
      platformId: platform.id,
      status: 'OPEN',
      id: { not: exceptId },
      submittedById: { not: me.userId },
      resource: { ownerId: { not: me.userId } },
      NOT: { decisions: { some: { reviewerId: me.userId, decidedAt: { not: null } } } },
    },
    orderBy: { submittedAt: 'asc' },
    // Full reviews and revisions this reviewer changed are filtered below; a queue holds a few
    // hundred at most (listQueue shows 200), so this reaches past them.
    take: 500,
    select: {
      id: true,
      decisions: { select: { reviewerId: true } },
      revision: { select: { authorIds: true } },
    },
  })
  const mayTake = rows.filter((r) => !r.revision?.authorIds.includes(me.userId))
  const claimed = mayTake.find((r) => r.decisions.some((d) => d.reviewerId === me.userId))
  return (claimed ?? mayTake.find((r) => r.decisions.length < needed))?.id ?? null
}
