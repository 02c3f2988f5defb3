import type { JobPayload } from '../../app/lib/jobs.ts'
import { runMediaStep } from '../media/pipeline.ts'

export const MEDIA_STEP_ATTEMPTS = 3

export async function mediaStepJob(payload: JobPayload<'media.step'>, ctx: { attempt: number; signal: AbortSignal }) {
  await runMediaStep(payload, { ...ctx, maxAttempts: MEDIA_STEP_ATTEMPTS })
}
