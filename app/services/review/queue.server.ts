/** What reviewers and uploaders read of the review workflow: the queue, one review's dossier,
 * and the latest decision an uploader acts on. */
import { prisma } from '~/lib/db.server.ts'
import { forbidden, notFound, unauthenticated } from '~/lib/errors.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import {
  diffVersions,
  isReviewerOf,
  liveSnapshot,
  readableChanges,
  type FieldChange,
  type Snapshot,
} from './rules.server.ts'
import type { Locale } from '~/lib/i18n/index.ts'
import { automaticChecks, submissionReadiness } from './checks.server.ts'
import { DELETABLE } from '../resources/delete-draft.server.ts'
import { curriculumTrail } from '../catalogue/curriculum.server.ts'
import { isEditable, OPEN_REVISION, revisionSnapshot } from '../resources/revisions.server.ts'
import type { DraftChange } from '../resources/update-draft.server.ts'

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
      revision: { select: { metadata: true, authorIds: true } },
    },
  })
  // A resubmission (the owner changed it after a decision) is labelled: the reviewer reads what changed.
  const earlier = new Map(
    (
      await prisma.review.groupBy({
        by: ['resourceId'],
        where: { resourceId: { in: rows.map((r) => r.resource.id) }, kind: 'SUBMISSION', status: 'DECIDED' },
        _count: { _all: true },
      })
    ).map((g) => [g.resourceId, g._count._all]),
  )
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
    // A revision that renames the resource shows the title it would get.
    revisionTitle: revisionTitleOf(r.revision?.metadata, r.resource.title),
    /** For a resubmission: which round this is (2 for the first resubmission). */
    round: r.kind === 'SUBMISSION' ? (earlier.get(r.resource.id) ?? 0) + 1 : 1,
    claimedBy: r.decisions.map((d) => names.get(d.reviewerId) ?? ''),
    mine: r.decisions.some((d) => d.reviewerId === actor.userId),
    own: r.resource.ownerId === actor.userId || !!r.revision?.authorIds.includes(actor.userId),
  }))
}

function revisionTitleOf(metadata: unknown, title: string) {
  const proposed = (metadata as DraftChange | null | undefined)?.data?.title
  return proposed && proposed !== title ? proposed : null
}

/** Positions (their trails) and knowledge point names of a snapshot, for display. */
async function snapshotPlaces(s: Snapshot) {
  const trails = await Promise.all(s.metadata.curriculum.map((id) => curriculumTrail(id)))
  return {
    positions: trails.filter((t) => t.length).map((trail) => ({ path: trail.map((n) => n.id), trail })),
    knowledgePoints: s.metadata.knowledgePoints.map((name) => ({ id: name, name })),
  }
}

export async function getReviewDossier(actor: Actor | null, reviewId: string, locale?: Locale) {
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
          reviewCommentTemplates: true,
        },
      },
      decisions: true,
      revision: {
        select: {
          id: true,
          status: true,
          authorIds: true,
          baseSnapshot: true,
          proposedSnapshot: true,
          files: { select: { id: true, role: true, status: true, originalName: true, textContent: true } },
        },
      },
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
  const [versions, files, history] = await Promise.all([
    prisma.resourceVersion.findMany({
      where: { resourceId: review.resourceId },
      orderBy: { number: 'desc' },
      take: 10,
    }),
    prisma.resourceFile.findMany({
      where: { resourceId: review.resourceId },
      select: { role: true, status: true, textContent: true, kind: true, probe: true, size: true, revisionId: true },
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
  // A revision is judged against what is published: both frozen when it was submitted.
  const revision = review.kind === 'REVISION' ? review.revision : null
  const base = (revision?.baseSnapshot ?? null) as Snapshot | null
  const proposed = (revision?.proposedSnapshot ?? null) as Snapshot | null
  const current = revision
    ? proposed && {
        number: versions.find((v) => v.id === review.versionId)?.number ?? (versions[0]?.number ?? 0) + 1,
        metadata: proposed.metadata as unknown,
      }
    : (versions.find((v) => v.id === review.versionId) ?? versions[0] ?? null)
  const previous = !revision && current ? (versions.find((v) => v.number === current.number - 1) ?? null) : null
  const meta = (current?.metadata ?? {}) as {
    curriculum?: string[]
    description?: string
    title?: string
    keywords?: string[]
    licence?: string
    priceCents?: number | null
  }
  const title = revision ? (meta.title ?? review.resource.title) : review.resource.title
  const licence = revision ? meta.licence : review.resource.licence
  const priceCents = revision ? meta.priceCents : review.resource.priceCents
  const flags = await automaticChecks({
    platform: { id: review.resource.platformId, path: review.platform.path },
    resourceId: review.resourceId,
    metadata: {
      title,
      description: meta.description ?? '',
      resourceType: '',
      curriculum: meta.curriculum ?? [],
      licence: licence ?? '',
      priceCents: priceCents ?? null,
      keywords: meta.keywords ?? [],
    },
    files: revision ? [...files.filter((f) => f.role === 'PRIMARY'), ...revision.files] : files,
    rejectedCounts: !revision,
  })
  const rawChanges: FieldChange[] | null = revision
    ? base && proposed
      ? diffVersions(base, proposed)
      : []
    : current && previous
      ? diffVersions(previous, current as { metadata: unknown; fileSha256: string | null; fileName: string | null })
      : null
  const changes = rawChanges && (await readableChanges(rawChanges, locale))
  const pendingMain = revision?.files.filter((f) => f.role === 'REPLACEMENT' && f.status === 'READY').at(-1)
  const text = (
    (pendingMain ? pendingMain.textContent : files.find((f) => f.role === 'PRIMARY')?.textContent) ?? ''
  ).slice(0, 5_000)
  const mine = review.decisions.find((d) => d.reviewerId === actor.userId) ?? null
  // The file judged: a revision's replacement where there is one, else the live main file.
  const judgedFile =
    (pendingMain &&
      files.find((f) => f.revisionId === revision?.id && f.role === 'REPLACEMENT' && f.status === 'READY')) ||
    files.find((f) => f.role === 'PRIMARY' && !f.revisionId)
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
    changes,
    text,
    /** For a REVISION: what it would change, with its files and the proposed positions. */
    revision: revision
      ? {
          id: revision.id,
          status: revision.status,
          files: revision.files.map((f) => ({ id: f.id, role: f.role, status: f.status, name: f.originalName })),
          subtitleText: revision.files
            .filter((f) => f.role === 'SUBTITLE' && f.status === 'READY')
            .map((f) => f.textContent ?? '')
            .join('\n')
            .slice(0, 5_000),
          ...(proposed ? await snapshotPlaces(proposed) : { positions: [], knowledgePoints: [] }),
        }
      : null,
    flags,
    media: judgedFile ? mediaFacts(judgedFile) : null,
    history: history.map((h) => ({ ...h, decidedAt: h.decidedAt?.toISOString() ?? null })),
    mine: mine ? { decided: !!mine.decidedAt } : null,
    canDecide:
      review.status === 'OPEN' &&
      review.resource.ownerId !== actor.userId &&
      review.submittedById !== actor.userId &&
      !review.revision?.authorIds.includes(actor.userId) &&
      (!!mine || review.decisions.length < review.platform.reviewersNeeded),
  }
}

/** Duration, resolution, bitrate (the file's overall rate) and page count, as probing found them. */
function mediaFacts(f: { kind: string | null; probe: unknown; size: bigint }) {
  const p = (f.probe ?? {}) as { durationSec?: number; width?: number; height?: number; pages?: number; fps?: number }
  const duration = typeof p.durationSec === 'number' && p.durationSec > 0 ? p.durationSec : null
  return {
    kind: f.kind,
    size: Number(f.size),
    durationSec: duration,
    width: p.width ?? null,
    height: p.height ?? null,
    fps: p.fps ?? null,
    kbps: duration ? Math.round((Number(f.size) * 8) / duration / 1000) : null,
    pages: p.pages ?? null,
  }
}

const decisionSelect = {
  outcome: true,
  decidedAt: true,
  decisions: {
    where: { decidedAt: { not: null } },
    select: { outcome: true, reasons: true, comment: true, fieldComments: true },
  },
} as const

/** The latest settled review of a resource's submission (or of one revision), for its owner to act on. */
export async function latestDecision(resourceId: string, revisionId?: string) {
  const r = await prisma.review.findFirst({
    where: revisionId
      ? { resourceId, kind: 'REVISION', revisionId, status: 'DECIDED' }
      : { resourceId, kind: 'SUBMISSION', status: 'DECIDED' },
    orderBy: { decidedAt: 'desc' },
    select: decisionSelect,
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

/** The metadata form's values for a revision's metadata (what the owner keeps editing). */
async function draftOf(change: DraftChange) {
  const d = change.data
  const trail = change.curriculum[0] ? await curriculumTrail(change.curriculum[0]) : []
  return {
    title: d.title,
    description: d.description,
    resourceType: d.resourceType,
    curriculumPath: trail.map((n) => n.id),
    knowledgePoints: change.knowledgePoints,
    keywords: d.keywords,
    language: d.language,
    intendedUsers: d.intendedUsers,
    licence: d.licence,
    author: d.author,
    provider: d.provider,
    version: d.version,
    price: d.priceCents ? String(d.priceCents / 100) : '',
  }
}

/**
 * The pending revision of a published resource, for those who manage or review it: its state,
 * what it changes against the published version, its files, the latest decision on it, and the
 * metadata the owner keeps editing. A revision rejected last is shown (closed) with its reasons
 * until a new one is opened; an approved or withdrawn one is not.
 */
export async function pendingRevision(
  actor: Actor | null,
  resource: { id: string; ownerId: string },
  roles: { manager: boolean; reviewer: boolean },
  locale?: Locale,
) {
  if (!actor || (!roles.manager && !roles.reviewer)) return null
  const latest = await prisma.resourceRevision.findFirst({
    where: { resourceId: resource.id },
    orderBy: { createdAt: 'desc' },
    include: {
      files: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, role: true, status: true, originalName: true, errorKey: true },
      },
    },
  })
  if (!latest) return null
  const open = OPEN_REVISION.includes(latest.status)
  if (!open && latest.status !== 'REJECTED') return null
  const editable = open && isEditable(latest.status)
  // While it may still change, it is compared with what is live now; once submitted, with
  // what was frozen for the reviewer.
  const [base, proposed] = editable
    ? await Promise.all([liveSnapshot(prisma, resource.id), revisionSnapshot(prisma, latest)])
    : [latest.baseSnapshot as Snapshot | null, latest.proposedSnapshot as Snapshot | null]
  const changes = base && proposed ? await readableChanges(diffVersions(base, proposed), locale) : []
  const inFlight = latest.files.some((f) => f.status === 'UPLOADING' || f.status === 'PROCESSING')
  const isOwner = actor.userId === resource.ownerId
  return {
    id: latest.id,
    status: latest.status,
    open,
    editable: editable && roles.manager,
    changes,
    files: latest.files,
    inFlight,
    canSubmit: editable && isOwner && !inFlight && changes.length > 0,
    canDiscard: editable && roles.manager,
    draft: editable && latest.metadata ? await draftOf(latest.metadata as unknown as DraftChange) : null,
    decision:
      latest.status === 'CHANGES_REQUESTED' || latest.status === 'REJECTED'
        ? await latestDecision(resource.id, latest.id)
        : null,
  }
}

export type PendingRevision = NonNullable<Awaited<ReturnType<typeof pendingRevision>>>

/** What the resource page offers this actor in the workflow, and what the owner must act on. */
export async function resourceWorkflow(actor: Actor | null, resourceId: string, locale?: Locale) {
  const r = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: {
      status: true,
      kind: true,
      ownerId: true,
      takedownReason: true,
      platform: { select: { id: true, path: true, reviewRequired: true } },
      scopePlatform: { select: { id: true, path: true, parentId: true } },
      files: {
        where: { OR: [{ role: 'PRIMARY' }, { status: { in: ['UPLOADING', 'PROCESSING'] } }] },
        select: { role: true, status: true },
      },
      reviews: { where: { status: 'OPEN' }, select: { kind: true } },
    },
  })
  if (!r) throw notFound()
  const isOwner = !!actor && actor.userId === r.ownerId
  const scope = r.scopePlatform
  const admin = can(actor, 'resource.takedown', r.platform) || (!!scope && can(actor, 'resource.takedown', scope))
  const primary = r.files.find((f) => f.role === 'PRIMARY')
  // A replacement or subtitle still arriving is waited for (submitResource refuses it too).
  const arriving = r.files.some((f) => f.role !== 'PRIMARY' && (f.status === 'UPLOADING' || f.status === 'PROCESSING'))
  const manager = isOwner || can(actor, 'platform.admin', r.platform)
  const submittable = isOwner && (r.status === 'DRAFT' || r.status === 'CHANGES_REQUESTED')
  // The owner sees, before submitting, what is missing and what the reviewer's checks will say.
  const readiness = submittable
    ? await submissionReadiness({ id: resourceId, platformId: r.platform.id, ownerId: r.ownerId })
    : null
  return {
    status: r.status,
    video: r.kind === 'VIDEO',
    reviewRequired: r.platform.reviewRequired,
    readiness,
    fileReady: primary?.status === 'READY' && !arriving,
    canSubmit: submittable && primary?.status === 'READY' && !arriving && readiness!.missing.length === 0,
    canWithdraw: isOwner && r.status === 'SUBMITTED',
    canDelete: manager && DELETABLE.includes(r.status),
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
    revision:
      r.status === 'PUBLISHED' || r.status === 'TAKEN_DOWN'
        ? await pendingRevision(
            actor,
            { id: resourceId, ownerId: r.ownerId },
            { manager, reviewer: isReviewerOf(actor, r.platform) },
            locale,
          )
        : null,
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
