import pino from 'pino'
import { env } from './env.server.ts'
import { singleton } from './singleton.server.ts'

/** Paths that must never be written to a log, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'currentPassword',
  '*.currentPassword',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'csrfSecret',
  '*.csrfSecret',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
]

/** Logs go to stdout; LOG_FILE sends them to a file instead (tests read it to prove that no
 * password ever reaches a log). */
export const logger = singleton('logger', () =>
  pino(
    {
      level: env().LOG_LEVEL,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: process.env.ERC_SERVICE ?? 'web' },
    },
    process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, sync: true }) : undefined,
  ),
)
