import { z } from 'zod'
import { prisma, Role, PlatformStatus, type Tx } from '~/lib/db.server.ts'
import { conflict, notFound, validation, type AppError } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { parseIdentifier } from './identifier.server.ts'
import { checkPasswordPolicy, hashPassword } from './password.server.ts'

export type RegisterInput = {
  platformSlug: string
  displayName: string
  identifier: string
  password: string
  schoolName?: string
  subjects?: string
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

/** Self-registration on a platform: the new user belongs to that platform and starts as a
 * teacher there (students and parents are enrolled by their school's admin). */
export async function registerUser(input: RegisterInput, db: typeof prisma = prisma) {
  const platform = await db.platform.findUnique({
    where: { slug: input.platformSlug },
    select: { id: true, status: true },
  })
  if (!platform || platform.status !== PlatformStatus.ACTIVE) throw notFound()
  const parsed = fieldsSchema.safeParse(input)
  const fieldErrors: Record<string, MessageKey> = {}
  if (!parsed.success) for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] = i.message as MessageKey
  const id = parseIdentifier(input.identifier)
  if (!id) fieldErrors.identifier = 'validation.identifier'
  try {
    checkPasswordPolicy(input.password)
  } catch (e) {
    Object.assign(fieldErrors, (e as AppError).fields)
  }
  if (Object.keys(fieldErrors).length || !parsed.success || !id) throw validation(fieldErrors)

  const passwordHash = await hashPassword(input.password)
  try {
    return await db.$transaction(async (tx: Tx) => {
      const user = await tx.user.create({
        data: {
          displayName: parsed.data.displayName,
          ...(id.kind === 'phone' ? { phone: id.value } : { email: id.value }),
          passwordHash,
          homePlatformId: platform.id,
          schoolName: parsed.data.schoolName || null,
          subjects: splitSubjects(parsed.data.subjects),
          roles: { create: { platformId: platform.id, role: Role.TEACHER } },
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
        },
        tx,
      )
      return user
    })
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002')
      throw conflict('auth.identifierTaken', { identifier: 'auth.identifierTaken' })
    throw e
  }
}
