/**
 * The owner (or an admin of the platform) deletes a resource that never went live: a draft, a
 * failed upload, a duplicate, one sent back or rejected. The row stays as DELETED (the audit log
 * and past reviews point at it); its bytes, derivatives and cover cards are removed.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict } from '~/lib/errors.ts'
import { logger } from '~/lib/logger.server.ts'
import type { ResourceStatus } from '~/lib/db.server.ts'
import { storage } from '../../../storage/index.ts'
import { objectKeys } from '../../../storage/keys.ts'
import type { Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { loadResourceForActor } from './access.server.ts'
import { canTransition, transition } from './state.server.ts'
import { lockResourceRow, removeDiscardedObjects, type DiscardedFile } from './revisions.server.ts'

/** What may be deleted this way: what no one but its owner and reviewers has seen. A published
 * or taken-down resource is taken down instead (it has users, statistics, maybe licences). */
export const DELETABLE: ResourceStatus[] = ['DRAFT', 'FAILED', 'DUPLICATE', 'CHANGES_REQUESTED', 'REJECTED']

export async function deleteDraft(
  actor: Actor | null,
  resourceId: string,
  meta: { ip?: string; requestId?: string } = {},
) {
  const { resource } = await loadResourceForActor(actor, resourceId, { manage: true })
  const files = await prisma.$transaction(async (tx) => {
    await lockResourceRow(tx, resourceId)
    const now = await tx.resource.findUniqueOrThrow({
      where: { id: resourceId },
      select: { status: true, title: true },
    })
    if (!DELETABLE.includes(now.status) || !canTransition(now.status, 'DELETED'))
      throw conflict(now.status === 'SUBMITTED' ? 'check.deleteWithdrawFirst' : 'check.deleteNotAllowed')
    await transition(tx, resourceId, now.status, 'DELETED')
    const rows = await tx.resourceFile.findMany({ where: { resourceId }, select: { id: true, storageKey: true } })
    // The keys go with the bytes: nothing points at an object that is about to be removed. The
    // files are refused too, so that a step still running finds nothing to continue, and the
    // storage sweep treats whatever it publishes late as an orphan (orphans.server.ts).
    await tx.resourceFile.updateMany({
      where: { resourceId },
      data: { storageKey: null, status: 'REJECTED', errorKey: 'check.deleted' },
    })
    await writeAudit(
      {
        action: 'resource.delete',
        actorId: actor!.userId,
        platformId: resource.platformId,
        targetType: 'Resource',
        targetId: resourceId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { title: now.title, status: now.status, files: rows.length },
      },
      tx,
    )
    return rows.map((f): DiscardedFile => ({
      platformId: resource.platformId,
      resourceId,
      fileId: f.id,
      storageKey: f.storageKey,
    }))
  })
  // After the commit; what a crash leaves behind is the storage sweep's (orphans.server.ts).
  await removeDiscardedObjects(files)
  try {
    const covers = objectKeys.coverPrefix({ platformId: resource.platformId, resourceId })
    for await (const key of storage.list(covers)) await storage.remove(key)
  } catch (err) {
    logger.warn({ err, resourceId }, 'deleted draft: cover cards left for the sweep')
  }
}
