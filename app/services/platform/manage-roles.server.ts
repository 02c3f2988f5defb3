import { prisma, Role, UserStatus, type Tx } from '~/lib/db.server.ts'
import { forbidden, notFound, validation } from '~/lib/errors.ts'
import { ROLES } from '~/lib/roles.ts'
import { parseIdentifier, identifierWhere } from '../auth/identifier.server.ts'
import { destroyUserSessions } from '../auth/sessions.server.ts'
import { assertCan, canGrantRole, type Actor, type PlatformRef } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'

type Meta = { ip?: string; requestId?: string }

async function loadPlatform(platformId: string) {
  const p = await prisma.platform.findUnique({ where: { id: platformId }, select: { id: true, path: true } })
  if (!p) throw notFound()
  return p
}

/** The roles `actor` may grant (and revoke) on `platform`, in the order the interface lists them:
 * the one rule (`canGrantRole`) that `grantRole` and `revokeRole` enforce, for the form to offer.
 * A county admin gets no marketplace or province roles; someone who may not grant gets none. */
export function grantableRoles(actor: Actor | null | undefined, platform: PlatformRef): Role[] {
  if (!actor) return []
  return ROLES.filter((r) => canGrantRole(actor, r, platform))
}

export async function grantRole(
  actor: Actor | null,
  input: { platformId: string; identifier: string; role: string },
  meta: Meta = {},
) {
  const platform = await loadPlatform(input.platformId)
  assertCan(actor, 'role.grant', platform)
  if (!(Object.values(Role) as string[]).includes(input.role)) throw validation({ role: 'validation.role' })
  const role = input.role as Role
  if (!grantableRoles(actor, platform).includes(role)) throw validation({ role: 'validation.roleNotGrantable' })
  const id = parseIdentifier(input.identifier)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  const user = await prisma.user.findUnique({ where: identifierWhere(id), select: { id: true } })
  if (!user) throw validation({ identifier: 'validation.userNotFound' })
  await prisma.$transaction((tx) => grantRoleInTx(tx, actor, { platform, userId: user.id, role }, meta))
}

/** Grants a role inside the caller's transaction (e.g. confirming a teacher-certification request
 * together with its status), with the same checks and the same `role.grant` audit entry. */
export async function grantRoleInTx(
  tx: Tx,
  actor: Actor | null,
  input: { platform: { id: string; path: string }; userId: string; role: Role },
  meta: Meta = {},
  data: Record<string, string> = {},
) {
  const { platform, userId, role } = input
  assertCan(actor, 'role.grant', platform)
  if (!grantableRoles(actor, platform).includes(role)) throw forbidden()
  await tx.roleAssignment.upsert({
    where: { userId_platformId_role: { userId, platformId: platform.id, role } },
    create: { userId, platformId: platform.id, role, grantedById: actor.userId },
    update: {},
  })
  await writeAudit(
    {
      action: 'role.grant',
      actorId: actor.userId,
      platformId: platform.id,
      targetType: 'User',
      targetId: userId,
      ip: meta.ip,
      requestId: meta.requestId,
      data: { ...data, role },
    },
    tx,
  )
}

export async function revokeRole(actor: Actor | null, input: { assignmentId: string }, meta: Meta = {}) {
  const ra = await prisma.roleAssignment.findUnique({
    where: { id: input.assignmentId },
    select: { id: true, userId: true, role: true, platform: { select: { id: true, path: true } } },
  })
  if (!ra) throw notFound()
  assertCan(actor, 'role.grant', ra.platform)
  if (!grantableRoles(actor, ra.platform).includes(ra.role)) throw forbidden()
  await prisma.$transaction(async (tx) => {
    await tx.roleAssignment.delete({ where: { id: ra.id } })
    await writeAudit(
      {
        action: 'role.revoke',
        actorId: actor.userId,
        platformId: ra.platform.id,
        targetType: 'User',
        targetId: ra.userId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { role: ra.role },
      },
      tx,
    )
  })
}

/** Disabling is decided by the admins of the user's home platform (or above) and signs the
 * user out everywhere in the same transaction. */
export async function setUserStatus(
  actor: Actor | null,
  input: { userId: string; status: UserStatus },
  meta: Meta = {},
) {
  const user = await prisma.user.findUnique({
    where: { id: input.userId },
    select: { id: true, homePlatform: { select: { id: true, path: true } } },
  })
  if (!user) throw notFound()
  assertCan(actor, 'user.status.change', user.homePlatform)
  if (user.id === actor.userId) throw forbidden()
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { status: input.status } })
    if (input.status === UserStatus.DISABLED) await destroyUserSessions(user.id, tx)
    await writeAudit(
      {
        action: input.status === UserStatus.DISABLED ? 'user.disable' : 'user.enable',
        actorId: actor.userId,
        platformId: user.homePlatform.id,
        targetType: 'User',
        targetId: user.id,
        ip: meta.ip,
        requestId: meta.requestId,
      },
      tx,
    )
  })
}
