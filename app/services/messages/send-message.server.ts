/**
 * Outgoing e-mail and SMS. The transport is chosen by MESSAGE_TRANSPORT: `log` writes the
 * message to the log (development: the demo's password-reset links appear there), `memory`
 * keeps it in the process for tests, `smtp` sends e-mail through SMTP_URL with nodemailer
 * (SMS has no gateway yet and goes to the log). Runs inside the `message.send` job, whose
 * retries cover a mail server that is briefly away.
 */
import nodemailer from 'nodemailer'
import { env } from '~/lib/env.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { singleton } from '~/lib/singleton.server.ts'
import type { JobPayload } from '~/lib/jobs.ts'

export type OutgoingMessage = JobPayload<'message.send'>

export const memoryOutbox = singleton('memory-outbox', () => [] as (OutgoingMessage & { at: Date })[])

/** Created on first use: only the smtp transport needs it. */
let transport: ReturnType<typeof nodemailer.createTransport> | undefined
const mailer = () => (transport ??= nodemailer.createTransport(env().SMTP_URL))

export async function deliverMessage(message: OutgoingMessage) {
  if (env().MESSAGE_TRANSPORT === 'memory') {
    memoryOutbox.push({ ...message, at: new Date() })
    return
  }
  if (env().MESSAGE_TRANSPORT === 'smtp' && message.channel === 'email') {
    await mailer().sendMail({ from: env().MAIL_FROM, to: message.to, subject: message.subject, text: message.body })
    return
  }
  logger.info(
    { channel: message.channel, to: message.to, subject: message.subject, body: message.body },
    'outgoing message (log transport)',
  )
}
