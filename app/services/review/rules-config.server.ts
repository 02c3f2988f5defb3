/** A platform's review rules, set by its admins: whether uploads need review, how many
 * reviewers decide, which criteria they score and the pass mark; and the comment templates its
 * reviewers insert into their decisions. */
import { z } from 'zod'
import { prisma } from '~/lib/db.server.ts'
import { AppError, validation } from '~/lib/errors.ts'
import { distinctEntries } from '~/lib/text.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { CRITERIA } from './rules.server.ts'

const schema = z.object({
  reviewRequired: z.boolean(),
  reviewersNeeded: z.union([z.literal(1), z.literal(2)]),
  reviewCriteria: z.array(z.enum(CRITERIA)).min(1),
  reviewPassScore: z.number().min(1).max(5),
})

export async function updateReviewRules(
  actor: Actor | null,
  platformId: string,
  input: { reviewRequired: boolean; reviewersNeeded: number; reviewCriteria: string[]; reviewPassScore: number },
  meta: { ip?: string; requestId?: string } = {},
) {
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { id: platformId },
    select: { id: true, path: true },
  })
  assertCan(actor, 'platform.admin', platform)
  const parsed = schema.safeParse({ ...input, reviewCriteria: [...new Set(input.reviewCriteria)] })
  if (!parsed.success) throw validation({ reviewRules: 'review.error.badRules' }, 'review.error.badRules')
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data: parsed.data })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
        platformId,
        targetType: 'Platform',
        targetId: platformId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reviewRules: parsed.data },
      },
      tx,
    )
  })
}

export const MAX_TEMPLATES = 20
export const MAX_TEMPLATE_LENGTH = 200

/** The platform's comment templates, one a line as the admin typed them (blank lines dropped,
 * repeats kept once). Too many or too long is refused, saying which limit. */
export async function updateCommentTemplates(
  actor: Actor | null,
  platformId: string,
  text: string,
  meta: { ip?: string; requestId?: string } = {},
) {
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { id: platformId },
    select: { id: true, path: true, reviewCommentTemplates: true },
  })
  assertCan(actor, 'platform.admin', platform)
  const templates = distinctEntries(text, /\n/)
  if (templates.length > MAX_TEMPLATES)
    throw new AppError('VALIDATION', 'templates.error.tooMany', {}, { max: MAX_TEMPLATES })
  if (templates.some((l) => [...l].length > MAX_TEMPLATE_LENGTH))
    throw new AppError('VALIDATION', 'templates.error.tooLong', {}, { max: MAX_TEMPLATE_LENGTH })
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data: { reviewCommentTemplates: templates } })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
        platformId,
        targetType: 'Platform',
        targetId: platformId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { reviewCommentTemplates: { before: platform.reviewCommentTemplates.length, after: templates.length } },
      },
      tx,
    )
  })
  return templates.length
}
