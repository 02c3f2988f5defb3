/**
 * Every job the workers run: payload schema (from app/lib/jobs.ts), handler, attempts,
 * backoff and timeout. `satisfies Record<JobName, …>` makes a job without a handler a type error.
 */
import type { z } from 'zod'
import { jobPayloads, type JobName, type JobPayload } from '../app/lib/jobs.ts'
import { sendMessageJob } from './jobs/send-message.ts'
import { MEDIA_STEP_ATTEMPTS, mediaStepJob } from './jobs/media-step.ts'
import { sweepStorage } from '../app/services/media/orphans.server.ts'
import { logger } from '../app/lib/logger.server.ts'
import { syncResources } from '../search/resources-index.ts'
import { coversAfterSync, renderCoversJob } from './jobs/cover.ts'

export type JobDefinition<N extends JobName> = {
  payload: (typeof jobPayloads)[N] & z.ZodType<JobPayload<N>>
  handler: (payload: JobPayload<N>, ctx: { jobId: string; attempt: number; signal: AbortSignal }) => Promise<void>
  attempts: number
  backoff: { type: 'exponential' | 'fixed'; delay: number }
  /** A run longer than this is aborted and counts as a failed attempt. */
  timeoutMs: number
  /** BullMQ priority (1 is the highest); a job without one comes before every job with one. */
  priority?: number
}

export const jobRegistry = {
  'message.send': {
    payload: jobPayloads['message.send'],
    handler: sendMessageJob,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    timeoutMs: 30_000,
  },
  'media.step': {
    payload: jobPayloads['media.step'],
    handler: mediaStepJob,
    attempts: MEDIA_STEP_ATTEMPTS,
    backoff: { type: 'exponential', delay: 10_000 },
    // Each step enforces its own, duration-based limit and kills its tool (workers/media);
    // this outer bound only catches a step that hangs outside any tool.
    timeoutMs: 6 * 3600_000,
  },
  'storage.sweep': {
    payload: jobPayloads['storage.sweep'],
    handler: async (p) => {
      await sweepStorage({ graceMs: p.graceMs, abandonAfterMs: p.abandonAfterMs })
    },
    attempts: 1,
    backoff: { type: 'fixed', delay: 60_000 },
    timeoutMs: 3600_000,
  },
  'search.sync': {
    payload: jobPayloads['search.sync'],
    handler: async (p) => {
      await syncResources(p.resourceIds)
      // A resource the index now shows without a picture gets a cover card (workers/jobs/cover.ts).
      // The sync is done either way: a cover problem is logged, and never repeats the sync.
      await coversAfterSync(p.resourceIds).catch((err) =>
        logger.warn({ err: String(err), resourceIds: p.resourceIds.length }, 'cover cards not queued'),
      )
    },
    // Meilisearch being down for a while must not lose a change: keep retrying for ~an hour.
    attempts: 12,
    backoff: { type: 'exponential', delay: 2_000 },
    timeoutMs: 300_000,
  },
  'cover.render': {
    payload: jobPayloads['cover.render'],
    handler: async (p) => {
      await renderCoversJob(p)
    },
    attempts: 3,
    backoff: { type: 'exponential', delay: 5_000 },
    timeoutMs: 120_000,
    // Covers fill the gaps: a teacher's upload being processed never waits behind 2,000 of them.
    priority: 10,
  },
} satisfies { [N in JobName]: JobDefinition<N> }
