/**
 * Revisions of published resources (ADR 0012, "Revisions"). On a platform whose rules require
 * review, a change to a PUBLISHED resource does not touch it: the checked metadata, a
 * replacement main file and added subtitles collect in one pending `ResourceRevision` (files
 * through `ResourceFile.revisionId`), which the owner submits and a reviewer decides
 * (app/services/review/workflow.server.ts). Until it is approved, the resource, its search
 * document, player and subtitles stay exactly as published; approval applies all of it in one
 * transaction (`applyRevision`). A rejected or withdrawn revision is closed and its files are
 * discarded: marked REJECTED with a reason, their bytes removed (the storage sweep removes what a
 * crash leaves behind).
 *
 * One open revision per resource: `openFor` holds the resource's id while the revision is open
 * and is unique; every change takes the resource's row lock first, so a save, an upload start and
 * a submission of the same resource queue behind each other.
 */
import { prisma, type Prisma, type ResourceStatus, type RevisionStatus, type Tx } from '~/lib/db.server.ts'
import { conflict } from '~/lib/errors.ts'
import { logger } from '~/lib/logger.server.ts'
import { objectKeys } from '../../../storage/keys.ts'
import { storage } from '../../../storage/index.ts'
import type { Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { liveSnapshot, type Snapshot, type VersionMetadata } from '../review/rules.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'
import { snapshotVersion } from '../review/rules.server.ts'
import { removeUploadBytes } from '../uploads/tus-store.server.ts'
import { applyDraft, type DraftChange } from './update-draft.server.ts'

/** A revision is open from its first change until it is approved, rejected or withdrawn. */
export const OPEN_REVISION: RevisionStatus[] = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'CHANGES_REQUESTED']
/** The owner changes a revision only before submitting it, or when it is sent back. */
export const EDITABLE_REVISION: RevisionStatus[] = ['DRAFT', 'CHANGES_REQUESTED']
const IN_FLIGHT = ['UPLOADING', 'PROCESSING'] as const
const LIVE_FILE = ['UPLOADING', 'PROCESSING', 'READY', 'FAILED'] as const

type ResourceRef = { id: string; status: ResourceStatus; platformId: string; platform: { reviewRequired: boolean } }
type Meta = { ip?: string; requestId?: string }

/** What to remove from storage once the transaction that discarded the files has committed. */
export type DiscardedFile = { platformId: string; resourceId: string; fileId: string; storageKey: string | null }

export const isEditable = (status: RevisionStatus) => EDITABLE_REVISION.includes(status)

/**
 * Whether a change to this published resource waits for review: its platform reviews changes,
 * or a revision is already open (the platform's rules changed while it was pending; it is
 * applied when submitted).
 */
export async function changeWaitsForReview(db: Tx, resource: ResourceRef) {
  if (resource.platform.reviewRequired) return true
  return !!(await db.resourceRevision.findUnique({ where: { openFor: resource.id }, select: { id: true } }))
}

/** Serialises every change of one resource's revision for the rest of the transaction. */
export async function lockResourceRow(tx: Tx, resourceId: string) {
  await tx.$queryRaw`SELECT id FROM "Resource" WHERE id = ${resourceId} FOR UPDATE`
}

/** The open revision, for a change by `actorId`: created when there is none, refused while a
 * reviewer has it. Call with the resource's row locked. */
async function editableRevision(tx: Tx, resourceId: string, actorId: string) {
  const open = await tx.resourceRevision.findUnique({ where: { openFor: resourceId } })
  if (open && !isEditable(open.status)) throw conflict('review.error.lockedInReview')
  if (!open)
    return tx.resourceRevision.create({
      data: { resourceId, openFor: resourceId, createdById: actorId, authorIds: [actorId] },
    })
  if (!open.authorIds.includes(actorId))
    return tx.resourceRevision.update({ where: { id: open.id }, data: { authorIds: { push: actorId } } })
  return open
}

/** Keeps checked metadata in the resource's pending revision (the resource itself does not change). */
export async function saveRevisionMetadata(actor: Actor, resource: ResourceRef, change: DraftChange, meta: Meta = {}) {
  return prisma.$transaction(async (tx) => {
    await lockResourceRow(tx, resource.id)
    const revision = await editableRevision(tx, resource.id, actor.userId)
    await tx.resourceRevision.update({
      where: { id: revision.id },
      data: { metadata: change as unknown as Prisma.InputJsonValue },
    })
    await writeAudit(
      {
        action: 'resource.update',
        actorId: actor.userId,
        platformId: resource.platformId,
        targetType: 'Resource',
        targetId: resource.id,
        ip: meta.ip,
        requestId: meta.requestId,
        data: {
          pending: true,
          revisionId: revision.id,
          ...change.data,
          curriculum: change.curriculum,
          knowledgePoints: change.knowledgePoints,
        },
      },
      tx,
    )
    return revision.id
  })
}

/**
 * Where a replacement main file or an added subtitle goes: onto the resource itself (null; a
 * draft, a resource sent back for changes, or a published one whose platform reviews nothing,
 * where it goes live once processed) or into the pending revision, whose id is returned.
 * startUpload calls this in the transaction that creates the file row, so a submission cannot
 * slip in between. Nothing is added to what a reviewer is looking at.
 */
export async function revisionForUpload(tx: Tx, actor: Actor, resource: ResourceRef): Promise<string | null> {
  if (resource.status === 'SUBMITTED' || resource.status === 'IN_REVIEW') throw conflict('review.error.lockedInReview')
  if (resource.status === 'TAKEN_DOWN') throw conflict('resource.error.badTransition')
  if (resource.status !== 'PUBLISHED') return null
  await lockResourceRow(tx, resource.id)
  if (!(await changeWaitsForReview(tx, resource))) return null
  return (await editableRevision(tx, resource.id, actor.userId)).id
}

/**
 * After a file's processing settled (app/services/media/steps.server.ts, `settleFile`, in the
 * worker's transaction). A replacement of a revision that became ready supersedes the revision's
 * earlier one. A replacement or subtitle that went live on a published resource (its platform
 * reviews nothing) is recorded as a new version and reaches search.
 */
export async function afterFileSettled(
  tx: Tx,
  file: { id: string; role: string; revisionId: string | null; resourceId: string },
  status: string,
) {
  if (status !== 'READY') return
  if (file.revisionId) {
    if (file.role === 'REPLACEMENT')
      await tx.resourceFile.updateMany({
        where: {
          revisionId: file.revisionId,
          role: 'REPLACEMENT',
          id: { not: file.id },
          status: { in: ['READY', 'FAILED'] },
        },
        data: { status: 'REJECTED', errorKey: 'review.revision.superseded', storageKey: null },
      })
    return
  }
  if (file.role !== 'REPLACEMENT' && file.role !== 'SUBTITLE') return
  const r = await tx.resource.findUnique({ where: { id: file.resourceId }, select: { status: true } })
  if (r?.status !== 'PUBLISHED') return
  await snapshotVersion(tx, file.resourceId)
  await queueSearchSync(tx, [file.resourceId])
}

export type RevisionRow = { id: string; resourceId: string; metadata: Prisma.JsonValue | null }

/** The files a revision would bring: the newest ready replacement, and its ready subtitles. */
async function readyFiles(tx: Tx, revisionId: string) {
  const files = await tx.resourceFile.findMany({
    where: { revisionId, status: 'READY' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, role: true, kind: true, sha256: true, originalName: true },
  })
  return {
    replacement: files.filter((f) => f.role === 'REPLACEMENT').at(-1) ?? null,
    subtitles: files.filter((f) => f.role === 'SUBTITLE'),
  }
}

/** The resource as it would be with the revision applied, in the shape of a version. */
export async function revisionSnapshot(tx: Tx, revision: RevisionRow): Promise<Snapshot> {
  const live = await liveSnapshot(tx, revision.resourceId)
  const { replacement, subtitles } = await readyFiles(tx, revision.id)
  const change = revision.metadata as DraftChange | null
  const { subtitles: liveSubtitles = [], ...rest } = live.metadata
  let metadata: VersionMetadata = rest
  if (change) {
    const kps = change.knowledgePoints.length
      ? await tx.knowledgePoint.findMany({ where: { id: { in: change.knowledgePoints } }, select: { name: true } })
      : []
    const d = change.data
    metadata = {
      title: d.title,
      description: d.description,
      resourceType: d.resourceType,
      keywords: d.keywords,
      licence: d.licence,
      priceCents: d.priceCents,
      language: d.language,
      intendedUsers: d.intendedUsers,
      author: d.author,
      provider: d.provider,
      version: d.version,
      curriculum: [...change.curriculum].sort(),
      knowledgePoints: kps.map((k) => k.name).sort(),
    }
  }
  const allSubtitles = [...liveSubtitles, ...subtitles.map((s) => s.originalName)].sort()
  if (allSubtitles.length) metadata = { ...metadata, subtitles: allSubtitles }
  return {
    metadata,
    fileSha256: replacement ? replacement.sha256 : live.fileSha256,
    fileName: replacement ? replacement.originalName : live.fileName,
  }
}

/** Marks files of a closed revision as discarded; returns what to remove from storage. */
async function discardFiles(tx: Tx, revisionId: string, keep: string[], errorKey: string) {
  const files = await tx.resourceFile.findMany({
    where: { revisionId, id: { notIn: keep }, status: { in: [...LIVE_FILE] } },
    select: { id: true, platformId: true, resourceId: true, storageKey: true },
  })
  if (files.length)
    await tx.resourceFile.updateMany({
      where: { id: { in: files.map((f) => f.id) } },
      data: { status: 'REJECTED', errorKey, storageKey: null },
    })
  return files.map((f) => ({
    platformId: f.platformId,
    resourceId: f.resourceId,
    fileId: f.id,
    storageKey: f.storageKey,
  }))
}

/**
 * Applies an approved revision, in the caller's transaction: the metadata, the replacement as the
 * main file (the old one kept as PREVIOUS, as the replacement flow does), the subtitles live; the
 * revision closed, anything else of it discarded, the search document re-synced. The caller
 * records the new version.
 */
export async function applyRevision(tx: Tx, revisionId: string) {
  const revision = await tx.resourceRevision.findUniqueOrThrow({ where: { id: revisionId } })
  const resourceId = revision.resourceId
  if (revision.metadata) await applyDraft(tx, resourceId, revision.metadata as unknown as DraftChange)
  const { replacement, subtitles } = await readyFiles(tx, revisionId)
  if (replacement) {
    await tx.resourceFile.updateMany({ where: { resourceId, role: 'PRIMARY' }, data: { role: 'PREVIOUS' } })
    await tx.resourceFile.update({ where: { id: replacement.id }, data: { role: 'PRIMARY', revisionId: null } })
    await tx.resource.update({ where: { id: resourceId }, data: { kind: replacement.kind } })
  }
  if (subtitles.length)
    await tx.resourceFile.updateMany({ where: { id: { in: subtitles.map((s) => s.id) } }, data: { revisionId: null } })
  const discarded = await discardFiles(tx, revisionId, [], 'review.revision.fileDiscarded')
  await tx.resourceRevision.update({
    where: { id: revisionId },
    data: { status: 'APPROVED', openFor: null, closedAt: new Date() },
  })
  await queueSearchSync(tx, [resourceId])
  return {
    discarded,
    replaced: replacement?.id ?? null,
    subtitles: subtitles.map((s) => s.id),
    metadata: !!revision.metadata,
  }
}

/** Closes a revision without applying it (rejected by review, or withdrawn by its owner). */
export async function closeRevision(tx: Tx, revisionId: string, status: 'REJECTED' | 'DISCARDED') {
  await tx.resourceRevision.update({ where: { id: revisionId }, data: { status, openFor: null, closedAt: new Date() } })
  return discardFiles(
    tx,
    revisionId,
    [],
    status === 'REJECTED' ? 'review.revision.fileRejected' : 'review.revision.fileDiscarded',
  )
}

/** Removes the bytes and outputs of discarded files, after the commit that discarded them. Best
 * effort: what is left (a crash, an object store hiccup) is the storage sweep's to remove. */
export async function removeDiscardedObjects(files: DiscardedFile[]) {
  for (const f of files) {
    try {
      for await (const key of storage.list(objectKeys.derivedPrefix(f))) await storage.remove(key)
      if (f.storageKey) await removeUploadBytes(f.storageKey)
    } catch (err) {
      logger.warn({ err, fileId: f.fileId }, 'discarded revision file: objects left for the sweep')
    }
  }
}

/** Whether any file of the revision is still uploading or processing. */
export async function revisionFilesInFlight(tx: Tx, revisionId: string) {
  return (await tx.resourceFile.count({ where: { revisionId, status: { in: [...IN_FLIGHT] } } })) > 0
}
