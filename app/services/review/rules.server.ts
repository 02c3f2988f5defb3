/**
 * The review workflow's shared rules: who may review on a platform, the reason codes, the
 * criteria, and the version snapshots reviewers compare.
 */
import type { Prisma, Tx } from '~/lib/db.server.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'

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
}

/** Records what is being submitted, as the next version number. */
export async function snapshotVersion(tx: Tx, resourceId: string) {
  const r = await tx.resource.findUniqueOrThrow({
    where: { id: resourceId },
    include: {
      curriculum: { select: { nodeId: true } },
      knowledgePoints: { select: { knowledgePoint: { select: { name: true } } } },
      files: { where: { role: 'PRIMARY' }, select: { sha256: true, originalName: true }, take: 1 },
    },
  })
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
  }
  const last = await tx.resourceVersion.findFirst({
    where: { resourceId },
    orderBy: { number: 'desc' },
    select: { number: true },
  })
  return tx.resourceVersion.create({
    data: {
      resourceId,
      number: (last?.number ?? 0) + 1,
      metadata: metadata as unknown as Prisma.InputJsonValue,
      fileSha256: r.files[0]?.sha256 ?? null,
      fileName: r.files[0]?.originalName ?? null,
    },
  })
}

export type FieldChange = { field: string; before: unknown; after: unknown }

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
