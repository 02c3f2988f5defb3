/**
 * Every change that alters what a resource's search document holds calls `queueSearchSync`
 * inside its own transaction: the outbox row commits (or rolls back) with the change, so the
 * index can lag by a second but never miss one. The job reads the current state when it runs
 * (search/resources-index.ts `syncResources`), so replays and reordering are harmless.
 */
import type { Tx } from '~/lib/db.server.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { newId } from '../uploads/start-upload.server.ts'

export async function queueSearchSync(tx: Tx, resourceIds: string[]) {
  const ids = [...new Set(resourceIds)]
  if (!ids.length) return
  // A fresh job id per change: the queue must run a later change even if an earlier job for
  // the same resource is still in its history.
  await enqueueJob(tx, 'search.sync', { resourceIds: ids }, `${ids.length === 1 ? ids[0] : 'batch'}.${newId()}`)
}
