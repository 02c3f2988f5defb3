/**
 * The checks a submission goes through before a person looks at it: what must be filled in
 * before a draft may be submitted (`missingForSubmission`), and the automatic checks the
 * reviewer sees in the dossier (`automaticChecks`). The teacher sees both before submitting,
 * with links to the fields that fix them, so nothing in the reviewer's list surprises them.
 */
import { prisma, type Tx } from '~/lib/db.server.ts'
import { LICENCES, RESOURCE_TYPES } from '~/lib/curriculum.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { findWords, wordsFor } from '../safety/sensitive-words.server.ts'

/** The shortest description a reviewer accepts without asking for more (characters). */
export const MIN_DESCRIPTION = 10

/** One check's finding. `field` names the form field that fixes it (the page links to it). */
export type Check = { key: MessageKey; params?: Record<string, string | number>; field?: string }

export type CheckedMetadata = {
  title: string
  description: string
  resourceType: string
  curriculum: string[]
  licence: string
  priceCents: number | null
  keywords: string[]
}

/** What must be there before a draft goes to review: title, type, curriculum position, a
 * description of MIN_DESCRIPTION characters, a licence (a premium one with its price). */
export function missingForSubmission(m: CheckedMetadata): Check[] {
  const missing: Check[] = []
  if (!m.title.trim()) missing.push({ key: 'check.missing.title', field: 'title' })
  if (!(RESOURCE_TYPES as readonly string[]).includes(m.resourceType))
    missing.push({ key: 'check.missing.type', field: 'resourceType' })
  if (!m.curriculum.length) missing.push({ key: 'check.missing.curriculum', field: 'curriculum' })
  const length = [...m.description.trim()].length
  if (length < MIN_DESCRIPTION)
    missing.push({
      key: 'check.missing.description',
      params: { min: MIN_DESCRIPTION, n: length },
      field: 'description',
    })
  if (!(LICENCES as readonly string[]).includes(m.licence))
    missing.push({ key: 'check.missing.licence', field: 'licence' })
  else if (m.licence === 'PREMIUM' && !(m.priceCents && m.priceCents > 0))
    missing.push({ key: 'resource.error.premiumNeedsPrice', field: 'price' })
  return missing
}

/**
 * The dossier's automatic checks: a title already used on the platform, no curriculum
 * position, a short description, a file that failed processing, the platform's sensitive
 * words, and a premium price to verify.
 */
export async function automaticChecks(input: {
  platform: { id: string; path: string }
  resourceId: string
  metadata: CheckedMetadata
  files: { status: string }[]
  /** A revision's refused replacement leaves the live file alone: not a failure of the resource. */
  rejectedCounts?: boolean
  /** Checking for the owner (before submitting): another teacher's unpublished work does not
   * count, nor may its existence show through the duplicate-title count. */
  ownerId?: string
}): Promise<Check[]> {
  const m = input.metadata
  const [sameTitle, platformWords] = await Promise.all([
    m.title.trim()
      ? prisma.resource.count({
          where: {
            platformId: input.platform.id,
            title: m.title,
            id: { not: input.resourceId },
            ...(input.ownerId
              ? {
                  OR: [
                    { status: 'PUBLISHED' as const },
                    { ownerId: input.ownerId, status: { notIn: ['DELETED', 'DUPLICATE'] as const } },
                  ],
                }
              : { status: { notIn: ['DELETED', 'DUPLICATE'] } }),
          },
        })
      : 0,
    wordsFor(input.platform.path),
  ])
  const flags: Check[] = []
  if (sameTitle) flags.push({ key: 'review.flag.duplicateTitle', params: { n: sameTitle }, field: 'title' })
  if (!m.curriculum.length) flags.push({ key: 'review.flag.noCurriculum', field: 'curriculum' })
  if ([...m.description.trim()].length < MIN_DESCRIPTION)
    flags.push({ key: 'review.flag.shortDescription', field: 'description' })
  const rejectedCounts = input.rejectedCounts ?? true
  if (input.files.some((f) => f.status === 'FAILED' || (f.status === 'REJECTED' && rejectedCounts)))
    flags.push({ key: 'review.flag.processingFailed' })
  const words = findWords([m.description, m.title, ...m.keywords].join(' '), platformWords)
  if (words.length)
    flags.push({ key: 'review.flag.sensitive', params: { words: words.join('、') }, field: 'description' })
  if (m.licence === 'PREMIUM' && m.priceCents)
    flags.push({ key: 'review.flag.premium', params: { price: `¥${(m.priceCents / 100).toFixed(2)}` }, field: 'price' })
  return flags
}

/** A resource as it stands, in the shape the checks read. */
export async function currentMetadata(
  resourceId: string,
  db: Pick<Tx, 'resource'> = prisma,
): Promise<CheckedMetadata & { platformPath: string }> {
  const r = await db.resource.findUniqueOrThrow({
    where: { id: resourceId },
    select: {
      title: true,
      description: true,
      resourceType: true,
      licence: true,
      priceCents: true,
      keywords: true,
      curriculum: { select: { nodeId: true } },
      platform: { select: { path: true } },
    },
  })
  return { ...r, curriculum: r.curriculum.map((c) => c.nodeId), platformPath: r.platform.path }
}

/** What the owner sees before submitting: what is missing (submitting is refused until it is
 * there) and the reviewer's automatic checks as they stand now. */
export async function submissionReadiness(resource: { id: string; platformId: string; ownerId: string }) {
  const [m, files] = await Promise.all([
    currentMetadata(resource.id),
    prisma.resourceFile.findMany({ where: { resourceId: resource.id, revisionId: null }, select: { status: true } }),
  ])
  const missing = missingForSubmission(m)
  const flags = await automaticChecks({
    platform: { id: resource.platformId, path: m.platformPath },
    resourceId: resource.id,
    metadata: m,
    files,
    ownerId: resource.ownerId,
  })
  // What is missing is listed once, as missing.
  const covered = new Set(missing.map((c) => c.field))
  return {
    missing,
    flags: flags.filter((f) => !(f.field && covered.has(f.field) && f.key !== 'review.flag.sensitive')),
  }
}
