/**
 * Outgoing e-mail and SMS. The transport is chosen by MESSAGE_TRANSPORT: `log` writes the
 * message to the log (development: the demo's password-reset links appear there), `memory`
 * keeps it in the process for tests. Real SMTP/SMS transports come with the notifications
 * issue and sit behind this same function.
 */
import { env } from '~/lib/env.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { singleton } from '~/lib/singleton.server.ts'
import type { JobPayload } from '~/lib/jobs.ts'

export type OutgoingMessage = JobPayload<'message.send'>

export const memoryOutbox = singleton('memory-outbox', () => [] as (OutgoingMessage & { at: Date })[])

export async function deliverMessage(message: OutgoingMessage) {
  if (env().MESSAGE_TRANSPORT === 'memory') {
    memoryOutbox.push({ ...message, at: new Date() })
    return
  }
  logger.info({ channel: message.channel, to: message.to, subject: message.subject, body: message.body }, 'outgoing message (log transport)')
}
