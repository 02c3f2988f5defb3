import { z } from 'zod'
import { prisma } from '~/lib/db.server.ts'
import { notFound, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { invalidatePlatformDirectory } from '~/models/platform.server.ts'

const color = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'validation.color')
const schema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(60, 'validation.tooLong'),
  bannerText: z.string().trim().max(120, 'validation.tooLong'),
  primaryColor: color,
  accentColor: color,
  // Only https URLs or paths on this site: no javascript:, data: or plain-http mixed content.
  logoUrl: z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .max(500, 'validation.tooLong')
      .regex(/^(https:\/\/[^\s"'<>]+|\/[^\s"'<>]*)$/, 'validation.url'),
  ]),
})

export type BrandingInput = z.input<typeof schema>

export async function updatePlatformBranding(
  actor: Actor | null,
  platformId: string,
  input: BrandingInput,
  meta: { ip?: string; requestId?: string } = {},
) {
  const platform = await prisma.platform.findUnique({
    where: { id: platformId },
    select: {
      id: true,
      path: true,
      name: true,
      bannerText: true,
      primaryColor: true,
      accentColor: true,
      logoUrl: true,
    },
  })
  if (!platform) throw notFound()
  assertCan(actor, 'platform.branding.update', platform)
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const fields: Record<string, MessageKey> = {}
    for (const i of parsed.error.issues) fields[String(i.path[0])] ??= i.message as MessageKey
    throw validation(fields)
  }
  const data = { ...parsed.data, bannerText: parsed.data.bannerText || null, logoUrl: parsed.data.logoUrl || null }
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data })
    const { id: _id, path: _path, ...before } = platform
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor.userId,
        platformId,
        targetType: 'Platform',
        targetId: platformId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { before, after: data },
      },
      tx,
    )
  })
  invalidatePlatformDirectory()
}
