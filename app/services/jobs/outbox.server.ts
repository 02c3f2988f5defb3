/**
 * Jobs are written to the JobOutbox table in the same transaction as the change that needs
 * them, then dispatched to the queue. A crash between commit and enqueue loses nothing: the
 * dispatcher (in the worker process, and nudged by the web after commit) picks the row up.
 * Each job carries a fixed id, so dispatching the same row twice queues it once.
 */
import { prisma, type Tx } from '~/lib/db.server.ts'
import { jobPayloads, type JobName, type JobPayload } from '~/lib/jobs.ts'

/** The queue's job id for a piece of work. BullMQ refuses ids containing ":" (it reserves
 * them for repeatable jobs) and ids that look like integers, so use "." and a name prefix. */
export function outboxJobId(name: string, jobId: string) {
  return `${name}.${jobId.replace(/:/g, '.')}`
}

export async function enqueueJob<N extends JobName>(db: Tx, name: N, payload: JobPayload<N>, jobId: string) {
  const parsed = jobPayloads[name].parse(payload)
  await db.jobOutbox.create({ data: { jobName: name, jobId: outboxJobId(name, jobId), payload: parsed } })
}

export type QueueAdd = (name: JobName, payload: unknown, jobId: string) => Promise<unknown>

/** Moves undispatched rows to the queue, oldest first. Safe to run concurrently: each row is
 * claimed with SKIP LOCKED, and the queue ignores a job id it already has. */
export async function dispatchOutbox(add: QueueAdd, batch = 100): Promise<number> {
  let moved = 0
  for (;;) {
    const n = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: bigint; jobName: string; jobId: string; payload: unknown }[]>`
        SELECT id, "jobName", "jobId", payload FROM "JobOutbox"
        WHERE "dispatchedAt" IS NULL ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`
      for (const row of rows) {
        try {
          await add(row.jobName as JobName, row.payload, row.jobId)
          await tx.jobOutbox.update({
            where: { id: row.id },
            data: { dispatchedAt: new Date(), attempts: { increment: 1 } },
          })
        } catch (e) {
          await tx.jobOutbox.update({
            where: { id: row.id },
            data: { attempts: { increment: 1 }, lastError: String(e).slice(0, 500) },
          })
        }
      }
      return rows.length
    })
    moved += n
    if (n < batch) return moved
  }
}
