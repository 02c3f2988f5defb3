import { prisma, UserStatus } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { AppError, rateLimited, validation } from '~/lib/errors.ts'
import { writeAudit } from '../audit.server.ts'
import { parseIdentifier, identifierWhere } from './identifier.server.ts'
import { dummyPasswordHash, verifyPassword } from './password.server.ts'
import { clearHits, isBlocked, recordHit } from './rate-limit.server.ts'
import { createSession, destroySession } from './sessions.server.ts'

export type SignInInput = {
  identifier: string
  password: string
  ip: string
  userAgent?: string | null
  requestId?: string
  previousSessionId?: string | null
}

/**
 * Checks the throttles, then the password, and opens a new session (a fresh id: the session
 * is rotated on every sign-in so a fixed id planted before sign-in is worth nothing).
 */
export async function signIn(
  input: SignInInput,
): Promise<{ sessionId: string; userId: string; homePlatformId: string }> {
  const id = parseIdentifier(input.identifier)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  if (!input.password) throw validation({ password: 'validation.required' })

  const limit = { max: env().SIGNIN_MAX_FAILURES, windowSeconds: env().SIGNIN_WINDOW_SECONDS }
  const accountKey = `${id.kind}:${id.value}`
  const blockedFor =
    (await isBlocked('signin-acct', accountKey, limit)) ?? (await isBlocked('signin-ip', input.ip, limit))
  if (blockedFor) {
    await writeAudit({
      action: 'auth.sign_in_throttled',
      ip: input.ip,
      requestId: input.requestId,
      data: { account: accountKey },
    })
    throw rateLimited(blockedFor)
  }

  const user = await prisma.user.findUnique({
    where: identifierWhere(id),
    select: { id: true, passwordHash: true, status: true, homePlatformId: true },
  })
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()))
  if (!user || !ok) {
    await Promise.all([recordHit('signin-acct', accountKey, limit), recordHit('signin-ip', input.ip, limit)])
    await writeAudit({
      action: 'auth.sign_in_failed',
      actorId: user?.id,
      platformId: user?.homePlatformId,
      ip: input.ip,
      requestId: input.requestId,
      data: { account: accountKey },
    })
    throw new AppError('UNAUTHENTICATED', 'auth.invalidCredentials')
  }
  if (user.status !== UserStatus.ACTIVE) throw new AppError('FORBIDDEN', 'auth.disabled')

  await clearHits('signin-acct', accountKey)
  if (input.previousSessionId) await destroySession(input.previousSessionId)
  const sessionId = await prisma.$transaction(async (tx) => {
    const sid = await createSession(user.id, { ip: input.ip, userAgent: input.userAgent }, tx)
    await writeAudit(
      {
        action: 'auth.sign_in',
        actorId: user.id,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
    return sid
  })
  return { sessionId, userId: user.id, homePlatformId: user.homePlatformId }
}

export async function signOut(sessionId: string, actorId: string | null, meta: { ip?: string; requestId?: string }) {
  await destroySession(sessionId)
  if (actorId) await writeAudit({ action: 'auth.sign_out', actorId, ip: meta.ip, requestId: meta.requestId })
}
