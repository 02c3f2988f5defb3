/**
 * The review workflow. Every move is one service call that checks the actor's role, changes
 * the resource's state through the state machine, and writes the audit log, all in one
 * transaction. Where a review decision is made: `decideReview`.
 *
 *   submit:     owner                      DRAFT | CHANGES_REQUESTED → SUBMITTED (or PUBLISHED where
 *                                          the platform needs no review)
 *   revision:   owner                      a change to a PUBLISHED resource (revisions.server.ts) →
 *                                          a REVISION review; the resource stays PUBLISHED throughout
 *   claim:      reviewer of the platform   SUBMITTED → IN_REVIEW
 *   decide:     a reviewer who claimed it  IN_REVIEW → PUBLISHED | CHANGES_REQUESTED | REJECTED
 *   recommend:  reviewer of the scope      PUBLISHED, opens a review on the parent platform
 *   takedown:   admins of the platform     PUBLISHED → TAKEN_DOWN, and restore back
 *               or above it
 * No one reviews a resource they own or submitted, nor a revision they changed.
 */
import { prisma, type Prisma, type Tx } from '~/lib/db.server.ts'
import { AppError, conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import { stripControl } from '~/lib/text.ts'
import { can, type Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { transition } from '../resources/state.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'
import { forgetFeatured } from './featured.server.ts'
import { currentMetadata, missingForSubmission } from './checks.server.ts'
import { notify, reviewersOf } from '../notifications/notify.server.ts'
import {
  diffVersions,
  isReviewerOf,
  liveSnapshot,
  REASON_CODES,
  REVIEW_FIELDS,
  snapshotVersion,
  TAKEDOWN_REASONS,
} from './rules.server.ts'
import {
  applyRevision,
  closeRevision,
  isEditable,
  lockResourceRow,
  removeDiscardedObjects,
  revisionFilesInFlight,
  revisionSnapshot,
  type DiscardedFile,
} from '../resources/revisions.server.ts'

type Meta = { ip?: string; requestId?: string }
const ID = /^[a-z0-9]{8,40}$/i

async function loadResource(resourceId: string) {
  if (!ID.test(resourceId)) throw notFound()
  const r = await prisma.resource.findUnique({
    where: { id: resourceId },
    include: {
      platform: { select: { id: true, path: true, slug: true, parentId: true, reviewRequired: true } },
      scopePlatform: { select: { id: true, path: true, slug: true, parentId: true } },
    },
  })
  if (!r || r.status === 'DELETED') throw notFound()
  return r
}

/** The owner sends a draft (or a changed resource) for review on its platform. */
export async function submitResource(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (r.ownerId !== actor.userId) throw forbidden('review.error.ownerOnly')
  if (r.status !== 'DRAFT' && r.status !== 'CHANGES_REQUESTED') throw conflict('resource.error.badTransition')
  const primary = await prisma.resourceFile.findFirst({
    where: { resourceId, role: 'PRIMARY' },
    select: { status: true },
  })
  if (primary?.status !== 'READY') throw conflict('resource.error.notReadyToPublish')
  // A replacement or subtitle still on its way would otherwise arrive after the review, unseen.
  const arriving = await prisma.resourceFile.count({
    where: { resourceId, role: { in: ['REPLACEMENT', 'SUBTITLE'] }, status: { in: ['UPLOADING', 'PROCESSING'] } },
  })
  if (arriving) throw conflict('upload.error.replacementInProgress')
  return prisma.$transaction(async (tx) => {
    // The page lists what is missing with links to it; this is the same list, enforced under the
    // row lock, so that a metadata save in flight cannot empty a field after the check.
    await lockResourceRow(tx, resourceId)
    const missing = missingForSubmission(await currentMetadata(resourceId, tx))
    if (missing.length) throw new AppError('VALIDATION', 'check.incomplete', {}, { n: missing.length })
    const version = await snapshotVersion(tx, resourceId)
    if (!r.platform.reviewRequired) {
      await transition(tx, resourceId, r.status, r.status === 'DRAFT' ? 'PUBLISHED' : 'SUBMITTED')
      if (r.status === 'DRAFT') {
        await tx.resource.update({
          where: { id: resourceId },
          data: { publishedAt: new Date(), scopePlatformId: r.platformId },
        })
        await writeAudit(
          {
            action: 'resource.publish',
            actorId: actor.userId,
            platformId: r.platformId,
            targetType: 'Resource',
            targetId: resourceId,
            ip: meta.ip,
            requestId: meta.requestId,
            data: { version: version.number, review: 'not required' },
          },
          tx,
        )
        await queueSearchSync(tx, [resourceId])
        return { status: 'PUBLISHED' as const, reviewId: null }
      }
    } else {
      await transition(tx, resourceId, r.status, 'SUBMITTED')
    }
    const review = await tx.review.create({
      data: {
        resourceId,
        platformId: r.platformId,
        kind: 'SUBMISSION',
        versionId: version.id,
        submittedById: actor.userId,
      },
    })
    const link = (slug: string) => `/p/${slug}/r/${resourceId}`
    await notify(tx, [actor.userId], 'review.submitted', { title: r.title }, link(r.platform.slug))
    await notify(
      tx,
      (await reviewersOf(tx, r.platformId)).filter((u) => u !== actor.userId),
      'review.received',
      { title: r.title },
      `/p/${r.platform.slug}/review`,
    )
    await writeAudit(
      {
        action: r.status === 'DRAFT' ? 'review.submit' : 'review.resubmit',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reviewId: review.id, version: version.number },
      },
      tx,
    )
    return { status: 'SUBMITTED' as const, reviewId: review.id }
  })
}

/**
 * The owner takes a submission back before any reviewer has claimed it: the review closes as
 * WITHDRAWN and the resource is a draft again, to change and submit anew. Once a reviewer has
 * it, it is theirs to decide (the state machine has no IN_REVIEW → DRAFT).
 */
export async function withdrawSubmission(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (r.ownerId !== actor.userId) throw forbidden('review.error.ownerOnly')
  await prisma.$transaction(async (tx) => {
    const pending = await tx.review.findFirst({
      where: { resourceId, kind: 'SUBMISSION', status: 'OPEN' },
      select: { id: true },
    })
    // The review row first, then the resource: the order a claim takes them in, so the two
    // queue behind each other instead of deadlocking.
    const open = pending ? await lockReview(tx, pending.id) : null
    // Withdrawn (and maybe submitted anew) between the look-up and the lock: not this one.
    if (open && open.status !== 'OPEN') throw conflict('resource.error.changedMeanwhile')
    await lockResourceRow(tx, resourceId)
    const now = await tx.resource.findUniqueOrThrow({ where: { id: resourceId }, select: { status: true } })
    if (now.status === 'IN_REVIEW' || open?.decisions.length) throw conflict('check.withdrawClaimed')
    if (now.status !== 'SUBMITTED') throw conflict('resource.error.badTransition')
    await transition(tx, resourceId, 'SUBMITTED', 'DRAFT')
    if (open) await tx.review.update({ where: { id: open.id }, data: { status: 'WITHDRAWN' } })
    await writeAudit(
      {
        action: 'review.withdraw',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reviewId: open?.id ?? null },
      },
      tx,
    )
  })
}

/**
 * The owner sends the pending revision of a published resource for review (ADR 0012,
 * "Revisions"): the published state and the proposed one are frozen for the reviewer's diff,
 * and a REVISION review opens on the resource's platform. Where the platform's rules no longer
 * ask for review, the revision is applied at once instead, as a new version.
 */
export async function submitRevision(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (r.ownerId !== actor.userId) throw forbidden('review.error.ownerOnly')
  if (r.status !== 'PUBLISHED') throw conflict('resource.error.badTransition')
  const result = await prisma.$transaction(async (tx) => {
    await lockResourceRow(tx, resourceId)
    const revision = await tx.resourceRevision.findUnique({ where: { openFor: resourceId } })
    if (!revision) throw conflict('review.revision.error.none')
    if (!isEditable(revision.status)) throw conflict('review.revision.error.alreadySubmitted')
    if (await revisionFilesInFlight(tx, revision.id)) throw conflict('upload.error.replacementInProgress')
    const base = await liveSnapshot(tx, resourceId)
    const proposed = await revisionSnapshot(tx, revision)
    if (!diffVersions(base, proposed).length) throw conflict('review.revision.error.empty')
    const now = new Date()
    if (!r.platform.reviewRequired) {
      const applied = await applyRevision(tx, revision.id)
      const version = await snapshotVersion(tx, resourceId)
      await writeAudit(
        {
          action: 'resource.publish',
          actorId: actor.userId,
          platformId: r.platformId,
          targetType: 'Resource',
          targetId: resourceId,
          ip: meta.ip,
          requestId: meta.requestId,
          data: { revisionId: revision.id, version: version.number, review: 'not required' },
        },
        tx,
      )
      return { status: 'APPROVED' as const, reviewId: null, discarded: applied.discarded }
    }
    await tx.resourceRevision.update({
      where: { id: revision.id },
      data: {
        status: 'SUBMITTED',
        submittedAt: now,
        baseSnapshot: base as unknown as Prisma.InputJsonValue,
        proposedSnapshot: proposed as unknown as Prisma.InputJsonValue,
      },
    })
    const review = await tx.review.create({
      data: {
        resourceId,
        platformId: r.platformId,
        kind: 'REVISION',
        revisionId: revision.id,
        submittedById: actor.userId,
        submittedAt: now,
      },
    })
    await notify(tx, [actor.userId], 'review.submitted', { title: r.title }, `/p/${r.platform.slug}/r/${resourceId}`)
    await notify(
      tx,
      (await reviewersOf(tx, r.platformId)).filter((u) => !revision.authorIds.includes(u) && u !== actor.userId),
      'review.received',
      { title: r.title },
      `/p/${r.platform.slug}/review`,
    )
    await writeAudit(
      {
        action: revision.status === 'DRAFT' ? 'review.submit' : 'review.resubmit',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { kind: 'REVISION', reviewId: review.id, revisionId: revision.id },
      },
      tx,
    )
    return { status: 'SUBMITTED' as const, reviewId: review.id, discarded: [] as DiscardedFile[] }
  })
  await removeDiscardedObjects(result.discarded)
  return { status: result.status, reviewId: result.reviewId }
}

/** The owner (or an admin who may change the resource) withdraws a pending revision that no
 * reviewer has: it is closed and its files are discarded; the published resource is untouched. */
export async function discardRevision(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (r.ownerId !== actor.userId && !can(actor, 'platform.admin', r.platform)) throw forbidden()
  const discarded = await prisma.$transaction(async (tx) => {
    await lockResourceRow(tx, resourceId)
    const revision = await tx.resourceRevision.findUnique({ where: { openFor: resourceId } })
    if (!revision) throw conflict('review.revision.error.none')
    if (!isEditable(revision.status)) throw conflict('review.error.lockedInReview')
    const files = await closeRevision(tx, revision.id, 'DISCARDED')
    await writeAudit(
      {
        action: 'resource.update',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { revisionId: revision.id, discarded: true, files: files.map((f) => f.fileId) },
      },
      tx,
    )
    return files
  })
  await removeDiscardedObjects(discarded)
}

/** Locks the review row for the rest of the transaction: concurrent decisions queue here. */
async function lockReview(tx: Tx, reviewId: string) {
  if (!ID.test(reviewId)) throw notFound()
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Review" WHERE id = ${reviewId} FOR UPDATE`
  if (!rows.length) throw notFound()
  return tx.review.findUniqueOrThrow({
    where: { id: reviewId },
    include: {
      platform: {
        select: {
          id: true,
          path: true,
          name: true,
          reviewersNeeded: true,
          reviewCriteria: true,
          reviewPassScore: true,
        },
      },
      resource: { select: { id: true, ownerId: true, status: true, platformId: true } },
      revision: { select: { id: true, status: true, authorIds: true } },
      decisions: true,
    },
  })
}

/** The first reviewer takes it: the resource (a submission) or the revision moves into review. */
async function markClaimed(tx: Tx, review: Awaited<ReturnType<typeof lockReview>>) {
  if (review.kind === 'SUBMISSION' && review.resource.status === 'SUBMITTED')
    await transition(tx, review.resourceId, 'SUBMITTED', 'IN_REVIEW')
  if (review.kind === 'REVISION' && review.revisionId)
    await tx.resourceRevision.updateMany({
      where: { id: review.revisionId, status: 'SUBMITTED' },
      data: { status: 'IN_REVIEW' },
    })
}

function mayReview(
  actor: Actor,
  review: {
    platform: { id: string; path: string }
    resource: { ownerId: string }
    submittedById: string
    revision: { authorIds: string[] } | null
  },
) {
  if (!isReviewerOf(actor, review.platform)) throw forbidden()
  // Nobody approves their own work, nor a resource they sent upward themselves, nor a revision
  // they changed (an admin who edited it is one of its authors).
  if (
    review.resource.ownerId === actor.userId ||
    review.submittedById === actor.userId ||
    review.revision?.authorIds.includes(actor.userId)
  )
    throw forbidden('review.error.ownSubmission')
}

/** A reviewer takes an open review (up to the number the platform's rules ask for). */
export async function claimReview(actor: Actor | null, reviewId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  return prisma.$transaction(async (tx) => {
    const review = await lockReview(tx, reviewId)
    mayReview(actor, review)
    if (review.status !== 'OPEN') throw conflict('review.error.alreadyDecided')
    if (review.decisions.some((d) => d.reviewerId === actor.userId)) return { claimed: true }
    if (review.decisions.length >= review.platform.reviewersNeeded) throw conflict('review.error.alreadyClaimed')
    await tx.reviewDecision.create({ data: { reviewId, reviewerId: actor.userId } })
    await markClaimed(tx, review)
    await writeAudit(
      {
        action: 'review.claim',
        actorId: actor.userId,
        platformId: review.platformId,
        targetType: 'Review',
        targetId: reviewId,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
    return { claimed: true }
  })
}

/** An admin of the platform hands a review to one of its reviewers. */
export async function assignReview(actor: Actor | null, reviewId: string, reviewerUserId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  return prisma.$transaction(async (tx) => {
    const review = await lockReview(tx, reviewId)
    if (!can(actor, 'platform.admin', review.platform)) throw forbidden()
    if (review.status !== 'OPEN') throw conflict('review.error.alreadyDecided')
    const roles = await tx.roleAssignment.findMany({
      where: { userId: reviewerUserId, role: 'REVIEWER', platformId: review.platformId },
    })
    if (!roles.length) throw validation({ reviewer: 'review.error.notAReviewer' }, 'review.error.notAReviewer')
    if (
      review.resource.ownerId === reviewerUserId ||
      review.submittedById === reviewerUserId ||
      review.revision?.authorIds.includes(reviewerUserId)
    )
      throw forbidden('review.error.ownSubmission')
    if (review.decisions.some((d) => d.reviewerId === reviewerUserId)) return { assigned: true }
    if (review.decisions.length >= review.platform.reviewersNeeded) throw conflict('review.error.alreadyClaimed')
    await tx.reviewDecision.create({ data: { reviewId, reviewerId: reviewerUserId } })
    await markClaimed(tx, review)
    const res = await tx.resource.findUniqueOrThrow({ where: { id: review.resourceId }, select: { title: true } })
    const platform = await tx.platform.findUniqueOrThrow({ where: { id: review.platformId }, select: { slug: true } })
    await notify(
      tx,
      [reviewerUserId],
      'review.assigned',
      { title: res.title },
      `/p/${platform.slug}/review/${reviewId}`,
    )
    await writeAudit(
      {
        action: 'review.assign',
        actorId: actor.userId,
        platformId: review.platformId,
        targetType: 'Review',
        targetId: reviewId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reviewer: reviewerUserId },
      },
      tx,
    )
    return { assigned: true }
  })
}

export type DecisionInput = {
  outcome: unknown
  scores?: Record<string, unknown>
  reasons?: unknown[]
  fieldComments?: Record<string, unknown>
  comment?: unknown
}

function parseDecision(input: DecisionInput, criteria: string[], passScore: number) {
  const outcome = input.outcome
  if (outcome !== 'APPROVED' && outcome !== 'CHANGES_REQUESTED' && outcome !== 'REJECTED')
    throw validation({ outcome: 'review.error.chooseOutcome' }, 'review.error.chooseOutcome')
  const scores: Record<string, number> = {}
  for (const c of criteria) {
    const raw = input.scores?.[c]
    if (raw === undefined || raw === '') continue
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > 5)
      throw validation({ [`score.${c}`]: 'review.error.badScore' }, 'review.error.badScore')
    scores[c] = n
  }
  const reasons = [...new Set((input.reasons ?? []).filter((x): x is string => typeof x === 'string' && x !== ''))]
  if (reasons.some((x) => !(REASON_CODES as readonly string[]).includes(x)))
    throw validation({ reasons: 'review.error.badReason' }, 'review.error.badReason')
  const fieldComments: Record<string, string> = {}
  for (const [k, v] of Object.entries(input.fieldComments ?? {})) {
    if (!(REVIEW_FIELDS as readonly string[]).includes(k) || typeof v !== 'string') continue
    const text = stripControl(v, { keepLineBreaks: true }).trim()
    if ([...text].length > 500)
      throw validation({ [`field.${k}`]: 'review.error.commentTooLong' }, 'review.error.commentTooLong')
    if (text) fieldComments[k] = text
  }
  const comment = typeof input.comment === 'string' ? stripControl(input.comment, { keepLineBreaks: true }).trim() : ''
  if ([...comment].length > 2_000)
    throw validation({ comment: 'review.error.commentTooLong' }, 'review.error.commentTooLong')
  if (outcome === 'APPROVED') {
    // An approval scores every criterion, and the average must reach the platform's bar.
    if (criteria.some((c) => scores[c] === undefined))
      throw validation({ scores: 'review.error.scoreAll' }, 'review.error.scoreAll')
    const avg = criteria.reduce((a, c) => a + scores[c]!, 0) / Math.max(criteria.length, 1)
    if (avg < passScore) throw validation({ scores: 'review.error.belowThreshold' }, 'review.error.belowThreshold')
  } else if (!reasons.length) {
    throw validation({ reasons: 'review.error.reasonRequired' }, 'review.error.reasonRequired')
  }
  return { outcome, scores, reasons, fieldComments, comment } as const
}

/**
 * Where a review decision is made. The reviewer must have claimed the review (a reviewer who has
 * not, claims it here if a place is free). When every place has decided, the outcome is settled:
 * approved only if all approve; rejected if any rejects; otherwise changes requested.
 * Two reviewers deciding the same review at the same moment queue on the review's row lock:
 * the second sees the review decided (or its place taken) and gets a conflict.
 */
export async function decideReview(actor: Actor | null, reviewId: string, input: DecisionInput, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const result = await prisma.$transaction(async (tx) => {
    const review = await lockReview(tx, reviewId)
    mayReview(actor, review)
    if (review.status !== 'OPEN') throw conflict('review.error.alreadyDecided')
    const d = parseDecision(input, review.platform.reviewCriteria, review.platform.reviewPassScore)
    let mine = review.decisions.find((x) => x.reviewerId === actor.userId)
    if (!mine) {
      if (review.decisions.length >= review.platform.reviewersNeeded) throw conflict('review.error.alreadyClaimed')
      mine = await tx.reviewDecision.create({ data: { reviewId, reviewerId: actor.userId } })
      await markClaimed(tx, review)
    }
    if (mine.decidedAt) throw conflict('review.error.alreadyDecided')
    const now = new Date()
    await tx.reviewDecision.update({
      where: { id: mine.id },
      data: {
        decidedAt: now,
        outcome: d.outcome,
        scores: d.scores,
        reasons: d.reasons,
        fieldComments: d.fieldComments as Prisma.InputJsonValue,
        comment: d.comment,
      },
    })
    await writeAudit(
      {
        action: 'review.decide',
        actorId: actor.userId,
        platformId: review.platformId,
        targetType: 'Review',
        targetId: reviewId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { outcome: d.outcome, reasons: d.reasons, scores: d.scores },
      },
      tx,
    )
    const decided = [...review.decisions.filter((x) => x.id !== mine.id && x.decidedAt), { outcome: d.outcome }]
    if (decided.length < review.platform.reviewersNeeded) return { settled: false as const, discarded: [] }
    const outcome = decided.every((x) => x.outcome === 'APPROVED')
      ? 'APPROVED'
      : decided.some((x) => x.outcome === 'REJECTED')
        ? 'REJECTED'
        : 'CHANGES_REQUESTED'
    const discarded = await settle(tx, review, outcome, now, actor, meta)
    return { settled: true as const, outcome, discarded }
  })
  // A closed revision's files: their bytes go once the decision has committed.
  await removeDiscardedObjects(result.discarded)
  return result.settled ? { settled: true as const, outcome: result.outcome } : { settled: false as const }
}

async function settle(
  tx: Tx,
  review: Awaited<ReturnType<typeof lockReview>>,
  outcome: 'APPROVED' | 'REJECTED' | 'CHANGES_REQUESTED',
  now: Date,
  actor: Actor,
  meta: Meta,
): Promise<DiscardedFile[]> {
  let discarded: DiscardedFile[] = []
  await tx.review.update({
    where: { id: review.id },
    data: {
      status: 'DECIDED',
      outcome,
      decidedAt: now,
      turnaroundSeconds: Math.round((now.getTime() - review.submittedAt.getTime()) / 1000),
    },
  })
  if (review.kind === 'SUBMISSION') {
    const to = outcome === 'APPROVED' ? 'PUBLISHED' : outcome
    await transition(
      tx,
      review.resourceId,
      'IN_REVIEW',
      to,
      outcome === 'APPROVED' ? { publishedAt: now, scopePlatformId: review.resource.platformId } : {},
    )
  } else if (review.kind === 'REVISION') {
    // The resource stays PUBLISHED whatever the outcome; only an approval changes what is live.
    const revisionId = review.revisionId!
    if (outcome === 'APPROVED') {
      const applied = await applyRevision(tx, revisionId)
      discarded = applied.discarded
      const version = await snapshotVersion(tx, review.resourceId)
      await tx.review.update({ where: { id: review.id }, data: { versionId: version.id } })
      await writeAudit(
        {
          action: 'resource.publish',
          actorId: actor.userId,
          platformId: review.resource.platformId,
          targetType: 'Resource',
          targetId: review.resourceId,
          ip: meta.ip,
          requestId: meta.requestId,
          data: {
            revisionId,
            reviewId: review.id,
            version: version.number,
            metadata: applied.metadata,
            replacedBy: applied.replaced,
            subtitles: applied.subtitles,
          },
        },
        tx,
      )
    } else if (outcome === 'CHANGES_REQUESTED') {
      await tx.resourceRevision.update({ where: { id: revisionId }, data: { status: 'CHANGES_REQUESTED' } })
    } else {
      discarded = await closeRevision(tx, revisionId, 'REJECTED')
    }
  } else if (outcome === 'APPROVED') {
    // A recommendation accepted: the resource now shows on the parent's portal and all below it.
    await tx.resource.update({ where: { id: review.resourceId }, data: { scopePlatformId: review.platformId } })
  }
  const res = await tx.resource.findUniqueOrThrow({
    where: { id: review.resourceId },
    select: { title: true, ownerId: true, platform: { select: { slug: true } } },
  })
  const link = `/p/${res.platform.slug}/r/${review.resourceId}`
  if (review.kind === 'SUBMISSION')
    await notify(tx, [res.ownerId], 'review.decided', { title: res.title, outcome: outcome }, link)
  else if (review.kind === 'REVISION')
    await notify(tx, [res.ownerId], 'review.decided', { title: res.title, outcome: `REVISION_${outcome}` }, link)
  else if (outcome === 'APPROVED')
    await notify(
      tx,
      [res.ownerId, review.submittedById],
      'review.recommendationAccepted',
      { title: res.title, platform: review.platform.name },
      link,
    )
  await writeAudit(
    {
      action: 'review.settle',
      actorId: actor.userId,
      platformId: review.platformId,
      targetType: 'Resource',
      targetId: review.resourceId,
      ip: meta.ip,
      requestId: meta.requestId,
      data: { reviewId: review.id, kind: review.kind, outcome, revisionId: review.revisionId },
    },
    tx,
  )
  await queueSearchSync(tx, [review.resourceId])
  return discarded
}

/** 推荐: a reviewer of the platform whose portal shows a published resource sends it up one level. */
export async function recommendResource(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (r.status !== 'PUBLISHED') throw conflict('resource.error.badTransition')
  const scope = r.scopePlatform ?? r.platform
  if (!isReviewerOf(actor, scope)) throw forbidden()
  if (r.ownerId === actor.userId) throw forbidden('review.error.ownSubmission')
  if (!scope.parentId) throw conflict('review.error.noParent')
  return prisma.$transaction(async (tx) => {
    const open = await tx.review.findFirst({
      where: { resourceId, kind: 'RECOMMENDATION', status: 'OPEN' },
      select: { id: true },
    })
    if (open) throw conflict('review.error.alreadyRecommended')
    const version = await snapshotVersion(tx, resourceId)
    const review = await tx.review.create({
      data: {
        resourceId,
        platformId: scope.parentId!,
        kind: 'RECOMMENDATION',
        versionId: version.id,
        submittedById: actor.userId,
      },
    })
    const parent = await tx.platform.findUniqueOrThrow({ where: { id: scope.parentId! }, select: { slug: true } })
    await notify(
      tx,
      await reviewersOf(tx, scope.parentId!),
      'review.received',
      { title: r.title },
      `/p/${parent.slug}/review`,
    )
    await writeAudit(
      {
        action: 'review.recommend',
        actorId: actor.userId,
        platformId: scope.id,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { to: scope.parentId, reviewId: review.id },
      },
      tx,
    )
    return { reviewId: review.id }
  })
}

/** 下架: unpublished at once, with a reason. Gone from search with the next sync job (about a
 * second); its media links stop within the media liveness cache (5 s). */
export async function takedownResource(
  actor: Actor | null,
  resourceId: string,
  reason: unknown,
  note: unknown = '',
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (
    !can(actor, 'resource.takedown', r.platform) &&
    !(r.scopePlatform && can(actor, 'resource.takedown', r.scopePlatform))
  )
    throw forbidden()
  if (typeof reason !== 'string' || !(TAKEDOWN_REASONS as readonly string[]).includes(reason))
    throw validation({ reason: 'review.error.takedownReason' }, 'review.error.takedownReason')
  const text = typeof note === 'string' ? stripControl(note, { keepLineBreaks: true }).trim().slice(0, 500) : ''
  await prisma.$transaction(async (tx) => {
    await transition(tx, resourceId, 'PUBLISHED', 'TAKEN_DOWN', { takedownReason: reason })
    forgetFeatured()
    await writeAudit(
      {
        action: 'resource.takedown',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reason, note: text },
      },
      tx,
    )
    await queueSearchSync(tx, [resourceId])
  })
}

export async function restoreResource(actor: Actor | null, resourceId: string, meta: Meta = {}) {
  if (!actor) throw unauthenticated()
  const r = await loadResource(resourceId)
  if (
    !can(actor, 'resource.takedown', r.platform) &&
    !(r.scopePlatform && can(actor, 'resource.takedown', r.scopePlatform))
  )
    throw forbidden()
  await prisma.$transaction(async (tx) => {
    await transition(tx, resourceId, 'TAKEN_DOWN', 'PUBLISHED', { takedownReason: null })
    forgetFeatured()
    await writeAudit(
      {
        action: 'resource.restore',
        actorId: actor.userId,
        platformId: r.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
    await queueSearchSync(tx, [resourceId])
  })
}
