/**
 * The review workflow's shared rules: who may review on a platform, the reason codes, the
 * criteria, and the version snapshots reviewers compare.
 */
import type { Prisma, Tx } from '~/lib/db.server.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import { curriculumTrail } from '../catalogue/curriculum.server.ts'
import type { Locale } from '~/lib/i18n/index.ts'

export { CRITERIA, REASON_CODES, REVIEW_FIELDS, TAKEDOWN_REASONS } from '~/lib/review-codes.ts'

/** Reviewers of a platform review its queue (their role does not reach other platforms). */
export function isReviewerOf(actor: Actor | null, platform: PlatformRef) {
  return can(actor, 'review.queue', platform)
}

export type VersionMetadata = {
  title: string
  description: string
  resourceType: string
  keywords: string[]
  licence: string
  priceCents: number | null
  language: string
  intendedUsers: string[]
  author: string
  provider: string
  version: string
  curriculum: string[]
  knowledgePoints: string[]
  /** Names of the live subtitle files, when there are any. */
  subtitles?: string[]
}

/** A version's content: the metadata, the main file's digest and name. */
export type Snapshot = { metadata: VersionMetadata; fileSha256: string | null; fileName: string | null }

/**
 * The resource as it stands (for a published resource: what is live), in the shape of a version.
 * Subtitles count only when there are some (versions made before they were recorded stay
 * comparable), and only live ones: files of a pending revision are not part of the resource yet.
 */
export async function liveSnapshot(tx: Tx, resourceId: string): Promise<Snapshot> {
  const r = await tx.resource.findUniqueOrThrow({
    where: { id: resourceId },
    include: {
      curriculum: { select: { nodeId: true } },
      knowledgePoints: { select: { knowledgePoint: { select: { name: true } } } },
      files: {
        where: { revisionId: null, OR: [{ role: 'PRIMARY' }, { role: 'SUBTITLE', status: 'READY' }] },
        select: { role: true, sha256: true, originalName: true },
        orderBy: { createdAt: 'asc' },
      },
    },
  })
  const primary = r.files.find((f) => f.role === 'PRIMARY')
  const subtitles = r.files.filter((f) => f.role === 'SUBTITLE').map((f) => f.originalName)
  const metadata: VersionMetadata = {
    title: r.title,
    description: r.description,
    resourceType: r.resourceType,
    keywords: r.keywords,
    licence: r.licence,
    priceCents: r.priceCents,
    language: r.language,
    intendedUsers: r.intendedUsers,
    author: r.author,
    provider: r.provider,
    version: r.version,
    curriculum: r.curriculum.map((c) => c.nodeId).sort(),
    knowledgePoints: r.knowledgePoints.map((k) => k.knowledgePoint.name).sort(),
    ...(subtitles.length ? { subtitles: subtitles.sort() } : {}),
  }
  return { metadata, fileSha256: primary?.sha256 ?? null, fileName: primary?.originalName ?? null }
}

/** Records what is being submitted (the resource as it stands, or the given snapshot of a
 * proposed change), as the next version number. */
export async function snapshotVersion(tx: Tx, resourceId: string, snapshot?: Snapshot) {
  const s = snapshot ?? (await liveSnapshot(tx, resourceId))
  const last = await tx.resourceVersion.findFirst({
    where: { resourceId },
    orderBy: { number: 'desc' },
    select: { number: true },
  })
  return tx.resourceVersion.create({
    data: {
      resourceId,
      number: (last?.number ?? 0) + 1,
      metadata: s.metadata as unknown as Prisma.InputJsonValue,
      fileSha256: s.fileSha256,
      fileName: s.fileName,
    },
  })
}

export type FieldChange = { field: string; before: unknown; after: unknown }

/**
 * The same changes, readable: curriculum positions as their chapters' trails (人教版 › 七年级上册 ›
 * 第一章) instead of node ids. Codes (type, licence, users) are translated where they are shown
 * (app/components/review/change-value.tsx).
 */
export async function readableChanges(changes: FieldChange[], locale?: Locale): Promise<FieldChange[]> {
  const trails = async (v: unknown) =>
    Array.isArray(v)
      ? Promise.all(
          v.map(async (id) => {
            const trail = await curriculumTrail(String(id), locale)
            return trail.length ? trail.map((n) => n.name).join(' › ') : String(id)
          }),
        )
      : v
  return Promise.all(
    changes.map(async (c) =>
      c.field === 'curriculum' ? { ...c, before: await trails(c.before), after: await trails(c.after) } : c,
    ),
  )
}

/** What changed between two versions, field by field (the file counts as one field). */
export function diffVersions(
  a: { metadata: unknown; fileSha256: string | null; fileName: string | null },
  b: { metadata: unknown; fileSha256: string | null; fileName: string | null },
): FieldChange[] {
  const ma = a.metadata as Record<string, unknown>
  const mb = b.metadata as Record<string, unknown>
  const changes: FieldChange[] = []
  for (const k of Object.keys({ ...ma, ...mb }))
    if (JSON.stringify(ma[k]) !== JSON.stringify(mb[k])) changes.push({ field: k, before: ma[k], after: mb[k] })
  if (a.fileSha256 !== b.fileSha256) changes.push({ field: 'file', before: a.fileName, after: b.fileName })
  return changes
}
