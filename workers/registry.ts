/**
 * Every job the workers run: payload schema (from app/lib/jobs.ts), handler, attempts,
 * backoff and timeout. `satisfies Record<JobName, …>` makes a job without a handler a type error.
 */
import type { z } from 'zod'
import { jobPayloads, type JobName, type JobPayload } from '../app/lib/jobs.ts'
import { sendMessageJob } from './jobs/send-message.ts'

export type JobDefinition<N extends JobName> = {
  payload: (typeof jobPayloads)[N] & z.ZodType<JobPayload<N>>
  handler: (payload: JobPayload<N>, ctx: { jobId: string; attempt: number; signal: AbortSignal }) => Promise<void>
  attempts: number
  backoff: { type: 'exponential' | 'fixed'; delay: number }
  /** A run longer than this is aborted and counts as a failed attempt. */
  timeoutMs: number
}

export const jobRegistry = {
  'message.send': {
    payload: jobPayloads['message.send'],
    handler: sendMessageJob,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    timeoutMs: 30_000,
  },
} satisfies { [N in JobName]: JobDefinition<N> }
