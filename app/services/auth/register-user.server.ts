/**
 * Self-registration (ADR 0015). Two steps: a one-time code sent to the phone or e-mail, then the
 * account, created only with that code. Both steps answer alike whether or not the identifier
 * already has an account: its owner gets a notice instead of a code, and a registration with it
 * fails exactly as a wrong code does. What the new account may do is the platform's choice:
 * OFF refuses, MEMBERS gives a member (browse, rate, comment, collect) who may ask for 教师认证,
 * OPEN_TEACHERS gives a teacher with upload rights at once.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  PlatformMode,
  PlatformStatus,
  prisma,
  RegistrationMode,
  Role,
  VerificationPurpose,
  type Tx,
} from '~/lib/db.server.ts'
import { AppError, forbidden, notFound, validation } from '~/lib/errors.ts'
import { translator, type Locale, type MessageKey } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { identifierWhere, parseIdentifier, type Identifier } from './identifier.server.ts'
import { checkPasswordPolicy, hashPassword } from './password.server.ts'
import { checkCode, claimCode, CODE_TTL_MINUTES, issueCode, throttleCodeRequest } from './verification-code.server.ts'

export type RegisterInput = {
  platformSlug: string
  displayName: string
  identifier: string
  password: string
  /** The one-time code sent by `requestRegistrationCode`. */
  code: string
  schoolName?: string
  subjects?: string
  /** Ask for 教师认证 (where the platform gives members). */
  wantsTeacher?: boolean
  ip?: string
  requestId?: string
}

const fieldsSchema = z.object({
  displayName: z.string().trim().min(1, 'validation.required').max(40, 'validation.tooLong'),
  schoolName: z.string().trim().max(80, 'validation.tooLong').optional(),
  subjects: z.string().max(200, 'validation.tooLong').optional(),
})

export function splitSubjects(raw: string | undefined) {
  return (raw ?? '')
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 10)
}

/** How a platform takes registrations (for its registration page). */
export async function getRegistrationMode(platformSlug: string) {
  const p = await prisma.platform.findUnique({
    where: { slug: platformSlug },
    select: { registrationMode: true, status: true, mode: true },
  })
  if (!p || p.status !== PlatformStatus.ACTIVE) throw notFound()
  return p.mode === PlatformMode.CONNECTED ? RegistrationMode.OFF : p.registrationMode
}

/** The platform, if it takes registrations; read fresh (an admin may just have closed it). */
async function openPlatform(slug: string, db: Tx = prisma) {
  const platform = await db.platform.findUnique({
    where: { slug },
    select: { id: true, status: true, mode: true, registrationMode: true },
  })
  if (!platform || platform.status !== PlatformStatus.ACTIVE) throw notFound()
  // A connected platform runs its own accounts elsewhere.
  if (platform.registrationMode === RegistrationMode.OFF || platform.mode === PlatformMode.CONNECTED)
    throw forbidden('auth.register.closed')
  return platform
}

function parse(raw: string): Identifier {
  const id = parseIdentifier(raw)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  return id
}

/**
 * Step one: sends a registration code to the phone or e-mail, or, when it already has an
 * account, a notice to its owner. The caller shows the same answer either way.
 */
export async function requestRegistrationCode(input: {
  platformSlug: string
  identifier: string
  locale: Locale
  ip: string
  requestId?: string
}) {
  await openPlatform(input.platformSlug)
  const id = parse(input.identifier)
  await throttleCodeRequest(VerificationPurpose.REGISTER, id.value, input.ip)
  const existing = await prisma.user.findUnique({ where: identifierWhere(id), select: { locale: true } })
  const channel = id.kind === 'phone' ? ('sms' as const) : ('email' as const)
  await prisma.$transaction(async (tx) => {
    if (existing) {
      const t = translator((existing.locale === 'en' ? 'en' : 'zh-CN') as Locale)
      await enqueueJob(
        tx,
        'message.send',
        { channel, to: id.value, subject: t('auth.register.message.subject'), body: t('auth.register.message.taken') },
        `register-notice:${randomUUID()}`,
      )
      return
    }
    const t = translator(input.locale)
    const { code, id: codeId } = await issueCode(tx, VerificationPurpose.REGISTER, id.value, input.ip)
    await enqueueJob(
      tx,
      'message.send',
      {
        channel,
        to: id.value,
        subject: t('auth.register.message.subject'),
        body: t('auth.register.message.body', { code, minutes: CODE_TTL_MINUTES }),
      },
      `otp:${codeId}`,
    )
  })
}

/**
 * Step two: the account, if the code is right. The new user belongs to the platform and is a
 * member there (a teacher where the platform opens teacher registration); a member who says
 * they teach gets a 教师认证 request for the platform's admins.
 */
export async function registerUser(input: RegisterInput) {
  const platform = await openPlatform(input.platformSlug)
  const parsed = fieldsSchema.safeParse(input)
  const fieldErrors: Record<string, MessageKey> = {}
  if (!parsed.success) for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] = i.message as MessageKey
  const id = parseIdentifier(input.identifier)
  if (!id) fieldErrors.identifier = 'validation.identifier'
  const code = input.code.trim()
  if (!code) fieldErrors.code = 'auth.code.required'
  else if (!/^\d{6}$/.test(code)) fieldErrors.code = 'auth.code.invalid'
  try {
    checkPasswordPolicy(input.password)
  } catch (e) {
    Object.assign(fieldErrors, (e as AppError).fields)
  }
  if (Object.keys(fieldErrors).length || !parsed.success || !id) throw validation(fieldErrors)

  // An identifier that has an account never got a registration code, so it fails here too,
  // with the same answer as a mistyped code.
  const invalid = () => new AppError('VALIDATION', 'auth.code.invalid', { code: 'auth.code.invalid' })
  const codeId = await checkCode(VerificationPurpose.REGISTER, id.value, code)
  if (!codeId) throw invalid()

  const role = platform.registrationMode === RegistrationMode.OPEN_TEACHERS ? Role.TEACHER : Role.MEMBER
  const schoolName = parsed.data.schoolName || null
  const subjects = splitSubjects(parsed.data.subjects)
  const passwordHash = await hashPassword(input.password)
  try {
    return await prisma.$transaction(async (tx) => {
      if (!(await claimCode(tx, codeId))) throw invalid()
      // Closed between the two steps? The mode as it is now decides.
      const now = await openPlatform(input.platformSlug, tx)
      if (now.registrationMode !== platform.registrationMode) throw forbidden('auth.register.closed')
      const user = await tx.user.create({
        data: {
          displayName: parsed.data.displayName,
          ...(id.kind === 'phone' ? { phone: id.value } : { email: id.value }),
          passwordHash,
          homePlatformId: platform.id,
          schoolName,
          subjects,
          roles: { create: { platformId: platform.id, role } },
        },
        select: { id: true, homePlatformId: true },
      })
      await writeAudit(
        {
          action: 'auth.register',
          actorId: user.id,
          platformId: platform.id,
          ip: input.ip,
          requestId: input.requestId,
          data: { role },
        },
        tx,
      )
      if (input.wantsTeacher && role === Role.MEMBER) {
        const request = await tx.teacherRequest.create({
          data: { userId: user.id, platformId: platform.id, schoolName, subjects },
          select: { id: true },
        })
        await writeAudit(
          {
            action: 'role.request',
            actorId: user.id,
            platformId: platform.id,
            targetType: 'TeacherRequest',
            targetId: request.id,
            ip: input.ip,
            requestId: input.requestId,
            data: { role: Role.TEACHER },
          },
          tx,
        )
      }
      return { ...user, role }
    })
  } catch (e) {
    // The identifier was registered in the meantime: still the answer of a wrong code.
    if ((e as { code?: string }).code === 'P2002') throw invalid()
    throw e
  }
}
