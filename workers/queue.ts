/** The BullMQ queue (see docs/decisions/0004-bullmq-instead-of-bull.md). */
import { Queue, type ConnectionOptions } from 'bullmq'
import { env } from '../app/lib/env.server.ts'
import { singleton } from '../app/lib/singleton.server.ts'
import { QUEUE_NAME, type JobName } from '../app/lib/jobs.ts'
import { jobRegistry } from './registry.ts'

export function connection(): ConnectionOptions {
  const u = new URL(env().REDIS_URL)
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's blocking commands need this; a limit would make a worker give up on a slow Redis.
    maxRetriesPerRequest: null,
  }
}

export const queue = singleton(
  'bullmq-queue',
  () => new Queue(QUEUE_NAME, { connection: connection(), prefix: `${env().REDIS_PREFIX}:bull` }),
)

/** Adds a job with its registry's attempts and backoff. The fixed job id makes this idempotent. */
export async function addJob(name: JobName, payload: unknown, jobId: string) {
  const def = jobRegistry[name]
  return queue.add(name, def.payload.parse(payload), {
    jobId,
    attempts: def.attempts,
    backoff: def.backoff,
    ...('priority' in def ? { priority: def.priority } : {}),
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  })
}
