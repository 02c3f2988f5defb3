import type { JobPayload } from '../../app/lib/jobs.ts'
import { deliverMessage } from '../../app/services/messages/send-message.server.ts'

/** Sends one e-mail or SMS. The job id is fixed per message, so a retry re-sends the same
 * message rather than a second one. */
export async function sendMessageJob(payload: JobPayload<'message.send'>) {
  await deliverMessage(payload)
}
