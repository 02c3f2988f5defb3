import { prisma, UserStatus } from '~/lib/db.server.ts'
import { AppError, validation } from '~/lib/errors.ts'
import { writeAudit } from '../audit.server.ts'
import { parseIdentifier, identifierWhere } from './identifier.server.ts'
import { dummyPasswordHash, verifyPassword } from './password.server.ts'
import { createSession, destroySession } from './sessions.server.ts'
import { beginSignInAttempt, throttleAccount } from './sign-in-throttle.server.ts'

export type SignInInput = {
  identifier: string
  password: string
  ip: string
  userAgent?: string | null
  requestId?: string
  previousSessionId?: string | null
}

/** A refusal before any password check: the pair is locked (the owner may unlock it with a code),
 * or the IP must wait a little (sign-in-throttle.server.ts). */
function refused(scope: 'pair' | 'ip', seconds: number) {
  const params = { minutes: Math.ceil(seconds / 60), seconds }
  return scope === 'pair'
    ? new AppError('RATE_LIMITED', 'auth.signIn.locked', {}, params)
    : new AppError('RATE_LIMITED', 'auth.signIn.slowDown', {}, params)
}

/**
 * Counts the attempt, then checks the password, and opens a new session (a fresh id: the session
 * is rotated on every sign-in so a fixed id planted before sign-in is worth nothing).
 */
export async function signIn(
  input: SignInInput,
): Promise<{ sessionId: string; userId: string; homePlatformId: string }> {
  const id = parseIdentifier(input.identifier)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  if (!input.password) throw validation({ password: 'validation.required' })

  const accountKey = `${id.kind}:${id.value}`
  const user = await prisma.user.findUnique({
    where: identifierWhere(id),
    select: { id: true, passwordHash: true, status: true, homePlatformId: true },
  })
  const attempt = await beginSignInAttempt(throttleAccount(user, accountKey), input.ip)
  if (!('succeeded' in attempt)) {
    await writeAudit({
      action: 'auth.sign_in_throttled',
      actorId: user?.id,
      platformId: user?.homePlatformId,
      ip: input.ip,
      requestId: input.requestId,
      data: { account: accountKey, scope: attempt.scope },
    })
    throw refused(attempt.scope, attempt.retryAfterSeconds)
  }

  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()))
  if (!user || !ok) {
    await attempt.failed()
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
  await attempt.succeeded()
  if (user.status !== UserStatus.ACTIVE) throw new AppError('FORBIDDEN', 'auth.disabled')

  if (input.previousSessionId) await destroySession(input.previousSessionId)
  const sessionId = await openSession(user, input)
  return { sessionId, userId: user.id, homePlatformId: user.homePlatformId }
}

/** A new session for a user who has just proved who they are (a password, or a registration code). */
export async function openSession(
  user: { id: string; homePlatformId: string },
  meta: { ip?: string; userAgent?: string | null; requestId?: string },
) {
  return prisma.$transaction(async (tx) => {
    const sid = await createSession(user.id, { ip: meta.ip, userAgent: meta.userAgent }, tx)
    await writeAudit(
      {
        action: 'auth.sign_in',
        actorId: user.id,
        platformId: user.homePlatformId,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
    return sid
  })
}

export async function signOut(sessionId: string, actorId: string | null, meta: { ip?: string; requestId?: string }) {
  await destroySession(sessionId)
  if (actorId) await writeAudit({ action: 'auth.sign_out', actorId, ip: meta.ip, requestId: meta.requestId })
}
