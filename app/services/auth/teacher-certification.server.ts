/**
 * 教师认证 and the registration setting (ADR 0015). A member asks to be a teacher on their
 * platform (or a school below it); that platform's admins, or those above it, confirm, which
 * grants TEACHER through the role service in the same transaction as the decision, or decline.
 * Both write the audit log. The admins also choose how the platform takes registrations.
 */
import { z } from 'zod'
import { PlatformMode, prisma, RegistrationMode, Role, TeacherRequestStatus } from '~/lib/db.server.ts'
import { conflict, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { assertCan, canGrantRole, isWithin, type Actor } from '../authorization.server.ts'
import { grantRoleInTx } from '../platform/manage-roles.server.ts'
import { splitSubjects } from './register-user.server.ts'

type Meta = { ip?: string; requestId?: string }

async function platformRef(platformId: string) {
  const p = await prisma.platform.findUnique({
    where: { id: platformId },
    select: { id: true, path: true, mode: true, registrationMode: true },
  })
  if (!p) throw notFound()
  return p
}

const requestSchema = z.object({
  schoolName: z.string().trim().min(1, 'validation.required').max(80, 'validation.tooLong'),
  subjects: z.string().max(200, 'validation.tooLong'),
  note: z.string().trim().max(200, 'validation.tooLong'),
})

/** The actor's standing on the platform: a teacher already, and their requests there. */
export async function getMyTeacherStatus(actor: Actor, platformId: string) {
  const [isTeacher, requests] = await Promise.all([
    prisma.roleAssignment.count({ where: { userId: actor.userId, platformId, role: Role.TEACHER } }),
    prisma.teacherRequest.findMany({
      where: { userId: actor.userId, platformId },
      orderBy: { createdAt: 'desc' },
      take: 10,
      select: { id: true, status: true, schoolName: true, createdAt: true, decidedAt: true },
    }),
  ])
  return { isTeacher: isTeacher > 0, requests }
}

/** A member asks for 教师认证 on their home platform or a school below it. One open request at a time. */
export async function requestTeacherCertification(
  actor: Actor | null,
  platformId: string,
  raw: { schoolName: string; subjects: string; note: string },
  meta: Meta = {},
) {
  if (!actor) throw unauthenticated()
  const platform = await platformRef(platformId)
  const home = await prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { homePlatform: { select: { path: true } } },
  })
  if (platform.mode === PlatformMode.CONNECTED || !isWithin(platform.path, home.homePlatform.path))
    throw validation({}, 'auth.teacher.notHere')
  const parsed = requestSchema.safeParse(raw)
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {}
    for (const i of parsed.error.issues) fields[String(i.path[0])] = i.message as MessageKey
    throw validation(fields)
  }
  const status = await getMyTeacherStatus(actor, platform.id)
  if (status.isTeacher) throw conflict('auth.teacher.already')
  if (status.requests.some((r) => r.status === TeacherRequestStatus.PENDING)) throw conflict('auth.teacher.pending')
  await prisma.$transaction(async (tx) => {
    const request = await tx.teacherRequest.create({
      data: {
        userId: actor.userId,
        platformId: platform.id,
        schoolName: parsed.data.schoolName,
        subjects: splitSubjects(parsed.data.subjects),
        note: parsed.data.note,
      },
      select: { id: true },
    })
    await writeAudit(
      {
        action: 'role.request',
        actorId: actor.userId,
        platformId: platform.id,
        targetType: 'TeacherRequest',
        targetId: request.id,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { role: Role.TEACHER },
      },
      tx,
    )
  })
}

/** What the platform's admins decide: open requests (oldest first) and the latest decisions. */
export async function listTeacherRequests(actor: Actor | null, platformId: string) {
  const platform = await platformRef(platformId)
  assertCan(actor, 'role.grant', platform)
  const select = {
    id: true,
    status: true,
    schoolName: true,
    subjects: true,
    note: true,
    createdAt: true,
    decidedAt: true,
    user: { select: { displayName: true, phone: true, email: true } },
  } as const
  const [pending, decided] = await Promise.all([
    prisma.teacherRequest.findMany({
      where: { platformId, status: TeacherRequestStatus.PENDING },
      orderBy: { createdAt: 'asc' },
      take: 200,
      select,
    }),
    prisma.teacherRequest.findMany({
      where: { platformId, status: { not: TeacherRequestStatus.PENDING } },
      orderBy: { decidedAt: 'desc' },
      take: 20,
      select,
    }),
  ])
  return { pending, decided, registrationMode: platform.registrationMode }
}

export async function countPendingTeacherRequests(actor: Actor | null, platformId: string) {
  assertCan(actor, 'role.grant', await platformRef(platformId))
  return prisma.teacherRequest.count({ where: { platformId, status: TeacherRequestStatus.PENDING } })
}

/** Confirms (grants TEACHER, audited as `role.grant`) or declines (`role.decline`) a request. */
export async function decideTeacherRequest(
  actor: Actor | null,
  input: { requestId: string; approve: boolean },
  meta: Meta = {},
) {
  const request = await prisma.teacherRequest.findUnique({
    where: { id: input.requestId },
    select: { id: true, userId: true, platform: { select: { id: true, path: true } } },
  })
  if (!request) throw notFound()
  const platform = request.platform
  assertCan(actor, 'role.grant', platform)
  if (!canGrantRole(actor, Role.TEACHER, platform)) throw validation({}, 'validation.roleNotGrantable')
  await prisma.$transaction(async (tx) => {
    // Of two admins deciding at once, one decides; the other is told it is done.
    const { count } = await tx.teacherRequest.updateMany({
      where: { id: request.id, status: TeacherRequestStatus.PENDING },
      data: {
        status: input.approve ? TeacherRequestStatus.APPROVED : TeacherRequestStatus.DECLINED,
        decidedById: actor.userId,
        decidedAt: new Date(),
      },
    })
    if (count !== 1) throw conflict('auth.teacher.alreadyDecided')
    if (input.approve)
      await grantRoleInTx(tx, actor, { platform, userId: request.userId, role: Role.TEACHER }, meta, {
        teacherRequestId: request.id,
      })
    else
      await writeAudit(
        {
          action: 'role.decline',
          actorId: actor.userId,
          platformId: platform.id,
          targetType: 'User',
          targetId: request.userId,
          ip: meta.ip,
          requestId: meta.requestId,
          data: { role: Role.TEACHER, teacherRequestId: request.id },
        },
        tx,
      )
  })
}

/** The platform's registration setting: OFF, MEMBERS or OPEN_TEACHERS (audited as platform.update). */
export async function setRegistrationMode(actor: Actor | null, platformId: string, mode: string, meta: Meta = {}) {
  const platform = await platformRef(platformId)
  assertCan(actor, 'platform.admin', platform)
  if (!(Object.values(RegistrationMode) as string[]).includes(mode))
    throw validation({ registrationMode: 'auth.registration.badMode' })
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platform.id }, data: { registrationMode: mode as RegistrationMode } })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor.userId,
        platformId: platform.id,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { registrationMode: mode },
      },
      tx,
    )
  })
}
