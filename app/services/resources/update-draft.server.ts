/** The metadata a teacher fills in while the bytes flow (and may change afterwards). */
import { z } from 'zod'
import { prisma } from '~/lib/db.server.ts'
import { validation, conflict } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { GRADES, INTENDED_USERS, LANGUAGES, LICENCES, RESOURCE_TYPES, SUBJECTS } from '~/lib/curriculum.ts'
import type { Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { loadResourceForActor } from './access.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'

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

export async function updateDraft(
  actor: Actor | null,
  resourceId: string,
  input: DraftInput,
  meta: { ip?: string; requestId?: string } = {},
) {
  const { resource } = await loadResourceForActor(actor, resourceId, { manage: true })
  if (resource.status === 'DUPLICATE' || resource.status === 'TAKEN_DOWN' || resource.status === 'REJECTED')
    throw conflict('resource.error.badTransition')
  // What a reviewer is looking at does not change under their eyes.
  if (resource.status === 'SUBMITTED' || resource.status === 'IN_REVIEW') throw conflict('review.error.lockedInReview')
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {}
    for (const i of parsed.error.issues)
      fields[String(i.path[0])] ??= (
        /^(validation|resource\.error)\./.test(i.message) ? i.message : 'validation.required'
      ) as MessageKey
    throw validation(fields)
  }
  const { curriculum, knowledgePoints, price, ...fields } = parsed.data
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
  const data = {
    ...fields,
    intendedUsers: [...new Set(fields.intendedUsers)],
    subject: (first?.subject ? first.subject.toUpperCase() : fields.subject) || null,
    grade: (first?.grade ?? fields.grade) || null,
    priceCents,
  }
  await prisma.$transaction(async (tx) => {
    await tx.resource.update({ where: { id: resourceId }, data })
    await tx.resourceCurriculum.deleteMany({ where: { resourceId } })
    await tx.resourceCurriculum.createMany({ data: [...new Set(curriculum)].map((nodeId) => ({ resourceId, nodeId })) })
    await tx.resourceKnowledgePoint.deleteMany({ where: { resourceId } })
    await tx.resourceKnowledgePoint.createMany({
      data: [...new Set(knowledgePoints)].map((knowledgePointId) => ({ resourceId, knowledgePointId })),
    })
    if (resource.status === 'PUBLISHED') await queueSearchSync(tx, [resourceId])
    await writeAudit(
      {
        action: 'resource.update',
        actorId: actor!.userId,
        platformId: resource.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { ...data, curriculum, knowledgePoints },
      },
      tx,
    )
  })
}
