/** A platform's review rules, set by its admins: whether uploads need review, how many
 * reviewers decide, which criteria they score and the pass mark. */
import { z } from 'zod'
import { prisma } from '~/lib/db.server.ts'
import { validation } from '~/lib/errors.ts'
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
