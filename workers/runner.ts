/** Starts a BullMQ worker over the registry, plus the outbox dispatcher. Used by
 * workers/index.ts and by the integration tests (in-process). */
import { Worker, type Job } from 'bullmq'
import { env } from '../app/lib/env.server.ts'
import { logger } from '../app/lib/logger.server.ts'
import { QUEUE_NAME, type JobName } from '../app/lib/jobs.ts'
import { dispatchOutbox } from '../app/services/jobs/outbox.server.ts'
import { addJob, connection } from './queue.ts'
import { jobRegistry, type JobDefinition } from './registry.ts'

async function runJob(job: Job) {
  const def = jobRegistry[job.name as JobName] as JobDefinition<JobName> | undefined
  if (!def) throw new Error(`no handler for job ${job.name}`)
  const payload = def.payload.parse(job.data)
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(new Error(`timed out after ${def.timeoutMs} ms`)), def.timeoutMs)
  try {
    await Promise.race([
      def.handler(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1, signal: ctrl.signal }),
      new Promise((_, reject) => ctrl.signal.addEventListener('abort', () => reject(ctrl.signal.reason))),
    ])
  } finally {
    clearTimeout(timer)
  }
}

export function startWorkers(opts: { concurrency?: number; dispatchEveryMs?: number } = {}) {
  const worker = new Worker(QUEUE_NAME, runJob, {
    connection: connection(),
    prefix: `${env().REDIS_PREFIX}:bull`,
    concurrency: opts.concurrency ?? env().WORKER_CONCURRENCY,
    // A worker that dies mid-job (SIGKILL, power loss) stops renewing its lock; once it lapses,
    // another worker takes the job over. Jobs are idempotent, so a second run is harmless.
    lockDuration: env().WORKER_LOCK_MS,
    stalledInterval: Math.max(1_000, Math.floor(env().WORKER_LOCK_MS / 2)),
    maxStalledCount: 3,
  })
  worker.on('failed', (job, err) =>
    logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'),
  )
  worker.on('error', (err) => logger.error({ err }, 'worker error'))

  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const tick = async () => {
    if (stopped) return
    running = dispatchOutbox(addJob).catch((err) => logger.error({ err }, 'outbox dispatch failed'))
    await running
    if (!stopped) timer = setTimeout(tick, opts.dispatchEveryMs ?? 1_000)
  }
  let timer = setTimeout(tick, 0)

  return {
    worker,
    /** Stops taking jobs, lets the running ones finish, stops the dispatcher. */
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
      await worker.close()
    },
  }
}
