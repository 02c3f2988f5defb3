/**
 * Retry by hand: the owner or a platform admin restarts the failed steps of a file (and the
 * steps waiting on them). Refused input is not retryable: its bytes are gone.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, notFound } from '~/lib/errors.ts'
import type { Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { loadResourceForActor } from '../resources/access.server.ts'
import { enqueueRunnable } from './steps.server.ts'

export async function retryProcessing(
  actor: Actor | null,
  fileId: string,
  meta: { ip?: string; requestId?: string } = {},
) {
  const file = await prisma.resourceFile.findUnique({ where: { id: fileId }, select: { resourceId: true } })
  if (!file) throw notFound()
  const { resource } = await loadResourceForActor(actor, file.resourceId, { manage: true })
  await prisma.$transaction(async (tx) => {
    const f = await tx.resourceFile.findUniqueOrThrow({ where: { id: fileId }, include: { steps: true } })
    if (f.status !== 'FAILED' || !f.storageKey) throw conflict('resource.error.badTransition')
    for (const s of f.steps.filter((s) => s.status === 'FAILED' || (s.status === 'WAITING' && s.queuedAt)))
      await tx.processingStep.update({
        where: { id: s.id },
        data: {
          status: 'WAITING',
          run: { increment: 1 },
          attempts: 0,
          queuedAt: null,
          errorKey: null,
          errorDetail: null,
          startedAt: null,
          finishedAt: null,
        },
      })
    await tx.resourceFile.update({
      where: { id: fileId },
      data: { status: 'PROCESSING', errorKey: null, errorDetail: null },
    })
    if (f.role === 'PRIMARY')
      await tx.resource.updateMany({ where: { id: resource.id, status: 'FAILED' }, data: { status: 'DRAFT' } })
    await enqueueRunnable(tx, fileId)
    await writeAudit(
      {
        action: 'resource.processing_retry',
        actorId: actor!.userId,
        platformId: resource.platformId,
        targetType: 'ResourceFile',
        targetId: fileId,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
  })
}
