/** The metadata a teacher fills in while the bytes flow (and may change afterwards; once published,
 * as a revision where the platform reviews changes). */
import { z } from 'zod'
import { prisma, type Tx } from '~/lib/db.server.ts'
import { validation, conflict } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { GRADES, INTENDED_USERS, LANGUAGES, LICENCES, RESOURCE_TYPES, SUBJECTS } from '~/lib/curriculum.ts'
import type { Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { loadResourceForActor } from './access.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'
import { snapshotVersion } from '../review/rules.server.ts'
import { changeWaitsForReview, saveRevisionMetadata } from './revisions.server.ts'

const optionalCode = <T extends readonly [string, ...string[]]>(codes: T) =>
  z.union([z.literal(''), z.enum(codes)]).optional()

const schema = z.object({
  title: z.string().trim().min(1, 'validation.required').max(120, 'validation.tooLong'),
  description: z.string().trim().max(2000, 'validation.tooLong').default(''),
  resourceType: z.enum(RESOURCE_TYPES, 'validation.required'),
  subject: optionalCode(SUBJECTS),
  grade: optionalCode(GRADES),
  /** Curriculum positions: any node of the tree (usually a chapter or section). */
  curriculum: z
    .array(z.string().regex(/^[a-z0-9.]{1,80}$/, 'validation.required'))
    .max(5, 'validation.tooLong')
    .default([]),
  knowledgePoints: z
    .array(z.string().regex(/^[a-z0-9]{8,40}$/, 'validation.required'))
    .max(20, 'validation.tooLong')
    .default([]),
  /** Typed as one line, separated by commas, 顿号 or spaces. */
  keywords: z
    .string()
    .max(300, 'validation.tooLong')
    .default('')
    .transform((v) => [
      ...new Set(
        v
          .split(/[,，、;；\s]+/)
          .map((k) => k.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(20, 'resource.error.keywordTooLong')).max(10, 'resource.error.tooManyKeywords')),
  language: z.enum(LANGUAGES, 'validation.required').default('zh'),
  intendedUsers: z
    .array(z.enum(INTENDED_USERS, 'validation.required'))
    .min(1, 'resource.error.noIntendedUsers')
    .default(['TEACHER']),
  licence: z.enum(LICENCES, 'validation.required').default('CC-BY-NC'),
  author: z.string().trim().max(60, 'validation.tooLong').default(''),
  provider: z.string().trim().max(60, 'validation.tooLong').default(''),
  version: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z.-]{1,20}$/, 'resource.error.badVersion')
    .default('1.0'),
  /** Price in yuan for a PREMIUM resource ("12.5"); ignored for free licences. */
  price: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^\d{1,4}(\.\d{1,2})?$/.test(v), 'resource.error.badPrice'),
})

export type DraftInput = z.input<typeof schema>

/** What a resource's metadata becomes: its fields, curriculum positions and knowledge points,
 * as `validateDraft` checked them. A pending revision stores exactly this (as JSON). */
export type DraftChange = {
  data: {
    title: string
    description: string
    resourceType: string
    subject: string | null
    grade: string | null
    keywords: string[]
    language: string
    intendedUsers: string[]
    licence: string
    author: string
    provider: string
    version: string
    priceCents: number | null
  }
  curriculum: string[]
  knowledgePoints: string[]
}

/** Checks metadata as a teacher typed it (every field, the positions and knowledge points
 * exist); throws a validation error naming the fields. */
export async function validateDraft(input: DraftInput): Promise<DraftChange> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {}
    for (const i of parsed.error.issues)
      fields[String(i.path[0])] ??= (
        /^(validation|resource\.error)\./.test(i.message) ? i.message : 'validation.required'
      ) as MessageKey
    throw validation(fields)
  }
  const { curriculum, knowledgePoints, price, subject, grade, ...fields } = parsed.data
  const priceCents = fields.licence === 'PREMIUM' ? Math.round(Number(price || '0') * 100) : null
  if (fields.licence === 'PREMIUM' && !priceCents) throw validation({ price: 'resource.error.premiumNeedsPrice' })
  const nodes = curriculum.length
    ? await prisma.curriculumNode.findMany({
        where: { id: { in: curriculum } },
        select: { id: true, subject: true, grade: true },
      })
    : []
  if (nodes.length !== new Set(curriculum).size) throw validation({ curriculum: 'resource.error.unknownPosition' })
  const kps = knowledgePoints.length ? await prisma.knowledgePoint.count({ where: { id: { in: knowledgePoints } } }) : 0
  if (kps !== new Set(knowledgePoints).size) throw validation({ knowledgePoints: 'resource.error.unknownPosition' })
  // Subject and grade follow the first position when one is given.
  const first = nodes.find((n) => n.id === curriculum[0])
  return {
    data: {
      ...fields,
      intendedUsers: [...new Set(fields.intendedUsers)],
      subject: (first?.subject ? first.subject.toUpperCase() : subject) || null,
      grade: (first?.grade ?? grade) || null,
      priceCents,
    },
    curriculum: [...new Set(curriculum)],
    knowledgePoints: [...new Set(knowledgePoints)],
  }
}

/**
 * Writes checked metadata onto the resource, in the caller's transaction. Positions or knowledge
 * points removed from the taxonomy since they were checked (a revision waits for its review) are
 * dropped rather than failing the whole change.
 */
export async function applyDraft(tx: Tx, resourceId: string, change: DraftChange) {
  const [nodes, kps] = await Promise.all([
    change.curriculum.length
      ? tx.curriculumNode.findMany({ where: { id: { in: change.curriculum } }, select: { id: true } })
      : [],
    change.knowledgePoints.length
      ? tx.knowledgePoint.findMany({ where: { id: { in: change.knowledgePoints } }, select: { id: true } })
      : [],
  ])
  const nodeIds = new Set(nodes.map((n) => n.id))
  const kpIds = new Set(kps.map((k) => k.id))
  await tx.resource.update({ where: { id: resourceId }, data: change.data })
  await tx.resourceCurriculum.deleteMany({ where: { resourceId } })
  await tx.resourceCurriculum.createMany({
    data: change.curriculum.filter((id) => nodeIds.has(id)).map((nodeId) => ({ resourceId, nodeId })),
  })
  await tx.resourceKnowledgePoint.deleteMany({ where: { resourceId } })
  await tx.resourceKnowledgePoint.createMany({
    data: change.knowledgePoints
      .filter((id) => kpIds.has(id))
      .map((knowledgePointId) => ({ resourceId, knowledgePointId })),
  })
}

export type UpdateResult = { pending: boolean; revisionId: string | null }

/**
 * Saves the metadata of a resource its owner (or an admin) manages. A draft or a resource sent
 * back for changes takes it at once. A published resource on a platform whose rules require
 * review does not change: the metadata goes into its pending revision (ADR 0012, "Revisions"),
 * for the owner to submit; where no review is needed it applies at once, as a new version.
 */
export async function updateDraft(
  actor: Actor | null,
  resourceId: string,
  input: DraftInput,
  meta: { ip?: string; requestId?: string } = {},
): Promise<UpdateResult> {
  const { resource } = await loadResourceForActor(actor, resourceId, { manage: true })
  if (resource.status === 'DUPLICATE' || resource.status === 'TAKEN_DOWN' || resource.status === 'REJECTED')
    throw conflict('resource.error.badTransition')
  // What a reviewer is looking at does not change under their eyes.
  if (resource.status === 'SUBMITTED' || resource.status === 'IN_REVIEW') throw conflict('review.error.lockedInReview')
  const change = await validateDraft(input)
  if (resource.status === 'PUBLISHED' && (await changeWaitsForReview(prisma, resource))) {
    const revisionId = await saveRevisionMetadata(actor!, resource, change, meta)
    return { pending: true, revisionId }
  }
  await prisma.$transaction(async (tx) => {
    await applyDraft(tx, resourceId, change)
    let version: number | undefined
    if (resource.status === 'PUBLISHED') {
      // Live at once (the platform reviews nothing), and still a new version.
      version = (await snapshotVersion(tx, resourceId)).number
      await queueSearchSync(tx, [resourceId])
    }
    await writeAudit(
      {
        action: 'resource.update',
        actorId: actor!.userId,
        platformId: resource.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { ...change.data, curriculum: change.curriculum, knowledgePoints: change.knowledgePoints, version },
      },
      tx,
    )
  })
  return { pending: false, revisionId: null }
}
