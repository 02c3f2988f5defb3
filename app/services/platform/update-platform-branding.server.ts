/**
 * A platform's look and its footer, as its admins set them on the admin page: name, banner,
 * colours, logo (an uploaded image, checked and re-encoded here), and the footer's host unit
 * (主办单位), contact and ICP filing number (ICP备案号). Every rule about what is accepted lives
 * in this file; each change is audited as `platform.update` with what it was before.
 */
import { createHash } from 'node:crypto'
import sharp, { type Metadata } from 'sharp'
import { z } from 'zod'
import { prisma } from '~/lib/db.server.ts'
import { AppError, notFound, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { stripControl } from '~/lib/text.ts'
import { invalidatePlatformDirectory } from '~/models/platform.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { sniff } from '~/services/media/sniff.server.ts'
import { storage } from '../../../storage/index.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { writeAudit } from '../audit.server.ts'
import { invalidatePlatformFooter } from './platform-footer.server.ts'
import { logoKey, logoUrlFor } from './platform-logo.server.ts'

type Meta = { ip?: string; requestId?: string }

function fieldErrors(error: z.ZodError): never {
  const fields: Record<string, MessageKey> = {}
  for (const i of error.issues) fields[String(i.path[0])] ??= i.message as MessageKey
  throw validation(fields)
}

async function loadForUpdate(actor: Actor | null, platformId: string) {
  const platform = await prisma.platform.findUnique({
    where: { id: platformId },
    select: {
      id: true,
      slug: true,
      path: true,
      name: true,
      bannerText: true,
      primaryColor: true,
      accentColor: true,
      logoUrl: true,
      hostUnit: true,
      contact: true,
      icpNumber: true,
    },
  })
  if (!platform) throw notFound()
  assertCan(actor, 'platform.branding.update', platform)
  return platform
}

// ── name, banner, colours ─────────────────────────────────────────────────────────────────────

const color = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'validation.color')
  .transform((c) => c.toLowerCase())
const brandingSchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(60, 'validation.tooLong'),
  bannerText: z.string().trim().max(120, 'validation.tooLong'),
  primaryColor: color,
  accentColor: color,
})

/** `logoUrl` is no longer set here (the logo is an uploaded image: `updatePlatformLogo`); it is
 * accepted and ignored so that older callers keep compiling. */
export type BrandingInput = z.input<typeof brandingSchema> & { logoUrl?: string }

export async function updatePlatformBranding(
  actor: Actor | null,
  platformId: string,
  input: BrandingInput,
  meta: Meta = {},
) {
  const platform = await loadForUpdate(actor, platformId)
  const parsed = brandingSchema.safeParse(input)
  if (!parsed.success) fieldErrors(parsed.error)
  const data = { ...parsed.data, bannerText: parsed.data.bannerText || null }
  const before = {
    name: platform.name,
    bannerText: platform.bannerText,
    primaryColor: platform.primaryColor,
    accentColor: platform.accentColor,
  }
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
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

// ── footer: 主办单位, contact, ICP备案号 ──────────────────────────────────────────────────────

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'
/** An ICP filing number as MIIT issues it: a province's one-character abbreviation, ICP备, the
 * number (8 digits, or 10 for those issued since 2019 with the year in front), 号, and optionally
 * the site's sequence number after a hyphen: 湘ICP备12345678号, 湘ICP备2021001234号-1. */
export const ICP_NUMBER = new RegExp(`^[${PROVINCES}]ICP备\\d{6,10}号(?:-\\d{1,3})?$`)

/** What people type: full-width hyphens and digits, spaces, a lower-case "icp". */
export function normaliseIcpNumber(v: string) {
  return v
    .normalize('NFKC') // full-width digits, letters and hyphen → ASCII
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—－]/g, '-')
    .replace(/icp/i, 'ICP')
}

const footerText = (max: number) =>
  z
    .string()
    .transform((s) => stripControl(s).trim())
    .pipe(z.string().max(max, 'validation.tooLong'))
const footerSchema = z.object({
  hostUnit: footerText(60),
  contact: footerText(100),
  icpNumber: z
    .string()
    .transform(normaliseIcpNumber)
    .pipe(z.union([z.literal(''), z.string().regex(ICP_NUMBER, 'admin.footer.error.icp')])),
})
export type FooterInput = z.input<typeof footerSchema>

export async function updatePlatformFooter(
  actor: Actor | null,
  platformId: string,
  input: FooterInput,
  meta: Meta = {},
) {
  const platform = await loadForUpdate(actor, platformId)
  const parsed = footerSchema.safeParse(input)
  if (!parsed.success) fieldErrors(parsed.error)
  const data = {
    hostUnit: parsed.data.hostUnit || null,
    contact: parsed.data.contact || null,
    icpNumber: parsed.data.icpNumber || null,
  }
  const before = { hostUnit: platform.hostUnit, contact: platform.contact, icpNumber: platform.icpNumber }
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
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
  invalidatePlatformFooter()
}

// ── logo ──────────────────────────────────────────────────────────────────────────────────────

/** Limits of a logo upload. The form's body is bounded at 1 MB before any of this runs
 * (app/server/remix-handler.ts); a logo is far smaller. */
export const LOGO_MAX_BYTES = 512 * 1024
/** Decoded size allowed: a "pixel flood" (a small file declaring a gigantic canvas) is refused
 * from its header, before anything is decoded. */
export const LOGO_MAX_PIXELS = 4096 * 4096
/** What is stored and served: WebP, at most this box (the header shows it 36 px high; three
 * times that for high-density screens). */
export const LOGO_BOX = { width: 480, height: 120 }
const LOGO_FORMATS: Record<string, string> = { png: 'png', jpeg: 'jpeg', webp: 'webp', gif: 'gif' }

const logoError = (key: MessageKey, params: Record<string, string | number> = {}) =>
  new AppError('VALIDATION', key, { logo: key }, params)

/** Checks an uploaded logo by its content and re-encodes it: only these bytes are ever stored
 * or served, never what was uploaded. Throws a VALIDATION error with a Chinese reason. */
export async function processLogo(bytes: Buffer): Promise<Buffer> {
  if (!bytes.length) throw logoError('admin.logo.error.empty')
  if (bytes.length > LOGO_MAX_BYTES) throw logoError('admin.logo.error.tooLarge', { max: '512 KB' })
  // The content decides (never the name or the browser's type): PNG, JPEG, WebP or GIF.
  const sniffed = sniff(bytes.subarray(0, 4100))
  if (!sniffed || sniffed.kind !== 'IMAGE' || !LOGO_FORMATS[sniffed.format])
    throw logoError('admin.logo.error.notImage')
  let meta: Metadata
  try {
    // Header only: nothing is decoded yet.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch {
    throw logoError('admin.logo.error.corrupt')
  }
  if (meta.format !== LOGO_FORMATS[sniffed.format]) throw logoError('admin.logo.error.notImage')
  const w = meta.width ?? 0
  const h = meta.height ?? 0
  if (!w || !h) throw logoError('admin.logo.error.corrupt')
  if (w * h > LOGO_MAX_PIXELS) throw logoError('admin.logo.error.pixelFlood', { size: `${w}×${h}` })
  try {
    // First frame only; orientation baked in; every piece of metadata dropped (sharp keeps none
    // unless asked).
    return await sharp(bytes, { limitInputPixels: LOGO_MAX_PIXELS, animated: false })
      .rotate()
      .resize({ ...LOGO_BOX, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 90, alphaQuality: 100 })
      .toBuffer()
  } catch {
    throw logoError('admin.logo.error.corrupt')
  }
}

/** Sets the platform's logo from an uploaded image (or removes it with `null`). The processed
 * image is stored under a name made of its own hash, so its address can be cached for good. */
export async function updatePlatformLogo(
  actor: Actor | null,
  platformId: string,
  upload: Buffer | null,
  meta: Meta = {},
) {
  const platform = await loadForUpdate(actor, platformId)
  let logoUrl: string | null = null
  if (upload) {
    const webp = await processLogo(upload)
    const hash = createHash('sha256').update(webp).digest('hex').slice(0, 16)
    await storage.put(logoKey(platform.id, hash), webp, { contentType: 'image/webp', size: webp.length })
    logoUrl = logoUrlFor(platform.slug, hash)
  }
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platformId }, data: { logoUrl } })
    await writeAudit(
      {
        action: 'platform.update',
        actorId: actor!.userId,
        platformId,
        targetType: 'Platform',
        targetId: platformId,
        ip: meta.ip,
        requestId: meta.requestId,
        data: { before: { logoUrl: platform.logoUrl }, after: { logoUrl } },
      },
      tx,
    )
  })
  invalidatePlatformDirectory()
  // The previous image is no longer served (the route serves the current logo only); its bytes go.
  const previous = platform.logoUrl ? logoKeyFromUrl(platform.id, platform.slug, platform.logoUrl) : null
  if (previous && previous !== (logoUrl && logoKeyFromUrl(platform.id, platform.slug, logoUrl)))
    await storage.remove(previous).catch((e: unknown) => logger.warn({ err: e, platformId }, 'old logo not removed'))
  return { logoUrl }
}

function logoKeyFromUrl(platformId: string, slug: string, url: string) {
  const m = new RegExp(`^/p/${slug}/logo/([a-f0-9]{16})\\.webp$`).exec(url)
  return m ? logoKey(platformId, m[1]!) : null
}
