import { prisma } from '~/lib/db.server.ts'
import { validation } from '~/lib/errors.ts'
import { writeAudit } from '../audit.server.ts'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.server.ts'
import { destroyUserSessions } from './sessions.server.ts'

/** Changes the password and ends the user's other sessions (this one stays signed in). */
export async function changePassword(input: {
  userId: string
  sessionId: string
  currentPassword: string
  newPassword: string
  confirmPassword: string
  ip?: string
  requestId?: string
}) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { passwordHash: true, homePlatformId: true },
  })
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw validation({ currentPassword: 'validation.wrongPassword' })
  checkPasswordPolicy(input.newPassword, 'newPassword')
  if (input.newPassword !== input.confirmPassword) throw validation({ confirmPassword: 'validation.passwordMismatch' })
  const passwordHash = await hashPassword(input.newPassword)
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash, passwordChangedAt: new Date() } })
    await destroyUserSessions(input.userId, tx, input.sessionId)
    await writeAudit(
      {
        action: 'auth.password_change',
        actorId: input.userId,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
  })
}
