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
} as const

export type JobName = keyof typeof jobPayloads
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>
export const QUEUE_NAME = 'erc-jobs'
