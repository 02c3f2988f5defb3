import { createHash, randomBytes } from 'node:crypto'
import { prisma, UserStatus } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { AppError, validation } from '~/lib/errors.ts'
import { translator, type Locale } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { identifierWhere, parseIdentifier } from './identifier.server.ts'
import { checkPasswordPolicy, hashPassword } from './password.server.ts'
import { limiter, take } from './rate-limit.server.ts'
import { destroyUserSessions } from './sessions.server.ts'

const TOKEN_TTL_MS = 30 * 60 * 1000
const REQUEST_LIMIT = { points: 5, duration: 3600 }
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * Sends a one-time reset link by SMS or e-mail. Says nothing about whether the account
 * exists (the caller always shows the same message), and is throttled per account.
 */
export async function requestPasswordReset(input: { identifier: string; ip?: string; requestId?: string }) {
  const id = parseIdentifier(input.identifier)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  // Counted atomically before anything else; over the limit, nothing is sent (the answer is the same).
  if (!(await take(limiter('reset', REQUEST_LIMIT), `${id.kind}:${id.value}`)).ok) return

  const user = await prisma.user.findUnique({
    where: identifierWhere(id),
    select: { id: true, status: true, locale: true, homePlatformId: true, homePlatform: { select: { slug: true } } },
  })
  if (!user || user.status !== UserStatus.ACTIVE) return

  const token = randomBytes(32).toString('base64url')
  const t = translator((user.locale === 'en' ? 'en' : 'zh-CN') as Locale)
  const url = `${env().APP_URL}/p/${user.homePlatform.slug}/reset-password?token=${token}`
  await prisma.$transaction(async (tx) => {
    const row = await tx.passwordResetToken.create({
      data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + TOKEN_TTL_MS) },
    })
    await enqueueJob(
      tx,
      'message.send',
      {
        channel: id.kind === 'phone' ? 'sms' : 'email',
        to: id.value,
        subject: t('auth.reset.message.subject'),
        body: t('auth.reset.message.body', { url }),
      },
      `reset:${row.id}`,
    )
    await writeAudit(
      {
        action: 'auth.password_reset_request',
        actorId: user.id,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
  })
}

/** Whether a token is currently usable (to show the form or an "expired" message). */
export async function isResetTokenValid(token: string) {
  const row = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { usedAt: true, expiresAt: true },
  })
  return !!row && !row.usedAt && row.expiresAt.getTime() > Date.now()
}

/** Uses a token once: sets the password, ends every session of the user, voids other tokens. */
export async function resetPassword(input: {
  token: string
  newPassword: string
  confirmPassword: string
  ip?: string
  requestId?: string
}) {
  checkPasswordPolicy(input.newPassword, 'newPassword')
  if (input.newPassword !== input.confirmPassword) throw validation({ confirmPassword: 'validation.passwordMismatch' })
  const passwordHash = await hashPassword(input.newPassword)
  await prisma.$transaction(async (tx) => {
    // Mark used first with a conditional update: of two concurrent uses only one matches.
    const claimed = await tx.passwordResetToken.updateManyAndReturn({
      where: { tokenHash: sha256(input.token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
      select: { userId: true },
    })
    const userId = claimed[0]?.userId
    if (!userId) throw new AppError('VALIDATION', 'auth.reset.invalidToken')
    const user = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: new Date() },
      select: { homePlatformId: true },
    })
    await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } })
    await destroyUserSessions(userId, tx)
    await writeAudit(
      {
        action: 'auth.password_reset',
        actorId: userId,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
  })
}
