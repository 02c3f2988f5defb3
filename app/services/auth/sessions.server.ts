/** Server-side sessions: the cookie holds only a random id (signed); the row holds the rest,
 * so signing out, disabling a user or changing a password ends sessions everywhere at once. */
import { randomBytes } from 'node:crypto'
import { prisma, UserStatus, type Tx } from '~/lib/db.server.ts'
import type { Actor } from '../authorization.server.ts'

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000
const TOUCH_EVERY_MS = 5 * 60 * 1000

export async function createSession(
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null },
  db: Tx = prisma,
) {
  const id = randomBytes(32).toString('base64url')
  await db.session.create({
    data: {
      id,
      userId,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  })
  return id
}

export async function destroySession(id: string) {
  await prisma.session.deleteMany({ where: { id } })
}

export async function destroyUserSessions(userId: string, db: Tx = prisma, exceptId?: string) {
  await db.session.deleteMany({ where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) } })
}

/** Loads the actor behind a session id, or null when the session is unknown, expired, or its
 * user disabled (a disabled user's sessions are deleted on sight as well as on disabling). */
export async function getActorForSession(
  sessionId: string,
): Promise<(Actor & { sessionId: string; homePlatformId: string; locale: string }) | null> {
  const session = await prisma.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      expiresAt: true,
      lastSeenAt: true,
      user: {
        select: {
          id: true,
          displayName: true,
          status: true,
          homePlatformId: true,
          locale: true,
          roles: { select: { role: true, platformId: true, platform: { select: { path: true } } } },
        },
      },
    },
  })
  if (!session) return null
  if (session.expiresAt.getTime() < Date.now() || session.user.status !== UserStatus.ACTIVE) {
    await destroySession(session.id)
    return null
  }
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.session.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(), expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
    })
  }
  const u = session.user
  return {
    sessionId: session.id,
    userId: u.id,
    displayName: u.displayName,
    homePlatformId: u.homePlatformId,
    locale: u.locale,
    roles: u.roles.map((r) => ({ role: r.role, platformId: r.platformId, platformPath: r.platform.path })),
  }
}
