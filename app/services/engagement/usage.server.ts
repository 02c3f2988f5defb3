/**
 * Views and downloads, counted once per visitor per resource per day (a teacher reopening the
 * same lesson ten times is one view). The per-day row is the proof; the counter on Resource is
 * bumped only when that row is new, in the same statement's transaction.
 *
 * Views change no search document (they are not indexed), so they bump the counter without
 * touching `updatedAt`. Downloads sort search results, so they go through the outbox.
 */
import { createHash } from 'node:crypto'
import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { forbidden, unauthenticated } from '~/lib/errors.ts'
import { storage } from '../../../storage/index.ts'
import type { Actor, PlatformRef } from '../authorization.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'
import { queueSearchSync } from '../search/sync.server.ts'
import { coverageFor } from '../market/licences.server.ts'
import { watermarkPdf } from '../market/watermark.server.ts'
import { formatDate } from '~/lib/dates.ts'
import { logger } from '~/lib/logger.server.ts'

export const DOWNLOAD_URL_TTL_SECONDS = 60

/** "u:<id>" for a signed-in user; for anonymous visitors a keyed hash of address and browser. */
export function visitorKey(actor: Actor | null, anon: { ip?: string; userAgent?: string }) {
  if (actor) return `u:${actor.userId}`
  const h = createHash('sha256')
    .update(env().SESSION_SECRET)
    .update('\0')
    .update(anon.ip ?? '')
    .update('\0')
    .update(anon.userAgent ?? '')
    .digest('base64url')
  return `a:${h.slice(0, 22)}`
}

/** Beijing time decides what "a day" is for a provincial platform. */
export function usageDay(now = new Date()) {
  return new Date(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10))
}

export async function recordView(resourceId: string, visitor: string, portal: PlatformRef, now = new Date()) {
  await prisma.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "ResourceUsage" ("resourceId", visitor, day, kind, "platformId", at)
      VALUES (${resourceId}, ${visitor}, ${usageDay(now)}::date, 'VIEW', ${portal.id}, ${now})
      ON CONFLICT DO NOTHING`
    if (inserted) await tx.$executeRaw`UPDATE "Resource" SET "viewCount" = "viewCount" + 1 WHERE id = ${resourceId}`
  })
}

export type Download = { url: string } | { watermarked: Uint8Array; name: string }

/**
 * A download: signed in, allowed to see the resource, and entitled to its content (premium
 * material: see entitledTo in access.server.ts). Returns a short-lived signed URL; a licensee's
 * download of a premium document is its PDF stamped with their licence instead (watermark.server.ts).
 */
export async function downloadResource(
  actor: Actor | null,
  resourceId: string,
  portal: PlatformRef,
  now = new Date(),
): Promise<Download> {
  if (!actor) throw unauthenticated()
  const { resource, entitled, canManage, isReviewer } = await loadVisibleResource(actor, resourceId, portal)
  if (!entitled) throw forbidden('resource.error.premiumNeedsLicence')
  const primary = await prisma.resourceFile.findFirst({
    where: { resourceId, role: 'PRIMARY', status: 'READY' },
    select: { id: true, storageKey: true, originalName: true, kind: true, probe: true },
  })
  if (!primary?.storageKey) throw forbidden('resource.error.notDownloadable')
  if (resource.status === 'PUBLISHED') {
    await prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "ResourceUsage" ("resourceId", visitor, day, kind, "platformId", at)
        VALUES (${resourceId}, ${visitorKey(actor, {})}, ${usageDay(now)}::date, 'DOWNLOAD', ${portal.id}, ${now})
        ON CONFLICT DO NOTHING`
      if (inserted) {
        await tx.resource.update({ where: { id: resourceId }, data: { downloadCount: { increment: 1 } } })
        await queueSearchSync(tx, [resourceId])
      }
    })
  }
  // Premium documents reach a licensee only stamped with the licence (the owner, admins and
  // reviewers get the original).
  if (resource.licence === 'PREMIUM' && !canManage && !isReviewer && primary.kind === 'DOCUMENT')
    return stampedDownload(
      actor,
      resourceId,
      { ...primary, storageKey: primary.storageKey, probe: primary.probe as { format?: string } | null },
      now,
    )
  // A minute is enough to start the download the click asked for; a link copied elsewhere dies
  // soon, and on S3 (where a presigned URL cannot be revoked) that bounds a takedown's reach.
  return {
    url: await storage.signedUrl(primary.storageKey, DOWNLOAD_URL_TTL_SECONDS, { downloadName: primary.originalName }),
  }
}

/** Documents stamped on download are read whole into memory; larger ones are refused, and at most
 * STAMP_AT_ONCE are stamped at the same time in this process (the others wait their turn). */
const STAMP_MAX_BYTES = 100 * 1024 * 1024
const STAMP_AT_ONCE = 2
let stamping = 0
const waiting: (() => void)[] = []
async function stampSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (stamping >= STAMP_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve))
  stamping++
  try {
    return await fn()
  } finally {
    stamping--
    waiting.shift()?.()
  }
}

async function stampedDownload(
  actor: Actor,
  resourceId: string,
  file: { id: string; storageKey: string; originalName: string; probe: { format?: string } | null },
  now: Date,
): Promise<Download> {
  const coverage = await coverageFor(actor.userId, resourceId, now)
  if (!coverage) throw forbidden('resource.error.premiumNeedsLicence')
  // The PDF itself, or what an Office document was converted to.
  const isPdf = file.probe?.format === 'pdf' || /\.pdf$/i.test(file.originalName)
  const pdf = isPdf
    ? null
    : await prisma.derivative.findUnique({ where: { fileId_name: { fileId: file.id, name: 'pdf' } } })
  const key = isPdf ? file.storageKey : (pdf?.key ?? null)
  const info = key ? await storage.stat(key) : null
  if (!key || !info) throw forbidden('resource.error.notDownloadable')
  if (info.size > STAMP_MAX_BYTES) throw forbidden('market.error.tooLargeToStamp')
  const holder = coverage.scope === 'PERSONAL' ? actor.displayName : `${coverage.holderName} · ${actor.displayName}`
  return stampSlot(async () => {
    const chunks: Buffer[] = []
    for await (const c of await storage.get(key)) chunks.push(c as Buffer)
    try {
      const watermarked = await watermarkPdf(Buffer.concat(chunks), [
        `授权给 ${holder}`,
        `订单 ${coverage.orderNumber}`,
        formatDate(now),
      ])
      return { watermarked, name: file.originalName.replace(/\.[^.]+$/, '') + '.pdf' }
    } catch (e) {
      logger.warn({ err: e, resourceId }, 'document could not be watermarked')
      throw forbidden('market.error.stampFailed')
    }
  })
}

/** The actor's downloads, most recent first, one line per resource. */
export async function listMyDownloads(actor: Actor, take = 50) {
  const rows = await prisma.resourceUsage.findMany({
    where: { visitor: visitorKey(actor, {}), kind: 'DOWNLOAD' },
    orderBy: { at: 'desc' },
    take: take * 3,
    select: {
      at: true,
      resource: {
        select: { id: true, title: true, status: true, resourceType: true, platform: { select: { slug: true } } },
      },
    },
  })
  const seen = new Set<string>()
  const out: { id: string; title: string; resourceType: string; platformSlug: string; at: string }[] = []
  for (const r of rows) {
    if (seen.has(r.resource.id) || r.resource.status === 'DELETED') continue
    seen.add(r.resource.id)
    out.push({
      id: r.resource.id,
      title: r.resource.title,
      resourceType: r.resource.resourceType,
      platformSlug: r.resource.platform.slug,
      at: r.at.toISOString(),
    })
    if (out.length >= take) break
  }
  return out
}

export async function listMyRatings(actor: Actor, take = 50) {
  const rows = await prisma.rating.findMany({
    where: { userId: actor.userId, resource: { status: 'PUBLISHED' } },
    orderBy: { updatedAt: 'desc' },
    take,
    select: {
      score: true,
      updatedAt: true,
      resource: { select: { id: true, title: true, resourceType: true, platform: { select: { slug: true } } } },
    },
  })
  return rows.map((r) => ({
    id: r.resource.id,
    title: r.resource.title,
    resourceType: r.resource.resourceType,
    platformSlug: r.resource.platform.slug,
    score: r.score,
    at: r.updatedAt.toISOString(),
  }))
}
