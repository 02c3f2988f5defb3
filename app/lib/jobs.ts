/**
 * The contract between the web and the workers: every job's name and payload schema.
 * workers/registry.ts adds a handler, attempts, backoff and timeout to each; a name here
 * without a handler there fails the type check.
 */
import { z } from 'zod'

export const jobPayloads = {
  'message.send': z.object({
    channel: z.enum(['email', 'sms']),
    to: z.string().min(3).max(254),
    subject: z.string().max(200),
    body: z.string().max(4000),
  }),
  /** One processing step of one uploaded file (see app/services/media/steps.server.ts). */
  'media.step': z.object({
    fileId: z.string().regex(/^[a-z0-9]{8,40}$/i),
    step: z.enum(['probe', 'transcode', 'poster', 'audio', 'convert', 'pages', 'text', 'image', 'subtitle']),
    run: z.number().int().min(1),
  }),
  /** Sweeps abandoned uploads (no bytes for UPLOAD_ABANDON_AFTER_HOURS unless `abandonAfterMs`
   * says otherwise) and removes stored objects no database row accounts for
   * (app/services/media/orphans.server.ts). */
  'storage.sweep': z.object({
    graceMs: z.number().int().min(0).optional(),
    abandonAfterMs: z.number().int().min(0).optional(),
  }),
  /** Brings these resources' search documents in line with PostgreSQL (search/resources-index.ts). */
  'search.sync': z.object({
    resourceIds: z
      .array(z.string().regex(/^[a-z0-9]{8,40}$/i))
      .min(1)
      .max(1_000),
  }),
  /** Draws the cover cards of these resources, where they have no picture of their own
   * (workers/jobs/cover.ts); asked for after a search sync. */
  'cover.render': z.object({
    resourceIds: z
      .array(z.string().regex(/^[a-z0-9]{8,40}$/i))
      .min(1)
      .max(500),
  }),
} as const

export type MediaStepName = z.infer<(typeof jobPayloads)['media.step']>['step']
export type JobName = keyof typeof jobPayloads
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>
export const QUEUE_NAME = 'erc-jobs'
