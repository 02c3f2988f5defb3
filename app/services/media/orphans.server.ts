/**
 * The storage sweep, run by the `storage.sweep` job (workers/registry.ts; scheduled in
 * workers/index.ts). Two passes, each safe to run twice or concurrently:
 *
 *  1. Abandoned uploads (`sweepAbandonedUploads`): a file still UPLOADING that has received no
 *     byte for UPLOAD_ABANDON_AFTER_HOURS is refused with `upload.error.abandoned` (so it no
 *     longer blocks a replacement, and a draft whose main file it was shows as failed to its
 *     owner, who may delete it), and what tus stored of it is removed on either driver.
 *  2. Orphans (`sweepOrphans`): objects no database row accounts for. Refusals and duplicates
 *     delete their bytes right after the database commit; a crash in between would leave an
 *     object behind, and so would an upload abandoned before its first byte was accepted.
 *     Objects younger than `graceMs` are left alone (an upload may be under way).
 */
import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { storage } from '../../../storage/index.ts'
import { parseOriginalKey } from '../../../storage/keys.ts'
import { canTransition } from '../resources/state.server.ts'
import { localTusBookkeeping, removeUploadBytes } from '../uploads/tus-store.server.ts'

const LIVE_FILE = ['UPLOADING', 'PROCESSING', 'READY', 'FAILED'] as const

/** When an upload last received bytes, as far as storage can tell (local: the file grows in
 * place; S3: the `.part` and `.info` objects beside it). */
async function lastStoredActivity(key: string) {
  const keys = storage.kind === 's3' ? [key, `${key}.part`, `${key}.info`] : [key]
  let last = 0
  for (const k of keys) last = Math.max(last, (await storage.stat(k))?.lastModified?.getTime() ?? 0)
  return last
}

/**
 * Refuses one abandoned upload, if it still is one: UPLOADING and idle since before `cutoff`.
 * The tus gate records every chunk as activity in a single statement that also checks the
 * status, so either that chunk or this update wins, never both. Returns the key to clear.
 */
async function abandonUpload(fileId: string, cutoff: Date) {
  return prisma.$transaction(async (tx) => {
    const file = await tx.resourceFile.findUnique({
      where: { id: fileId },
      include: { resource: { select: { id: true, status: true } } },
    })
    if (!file) return null
    const { count } = await tx.resourceFile.updateMany({
      where: { id: fileId, status: 'UPLOADING', updatedAt: { lt: cutoff } },
      data: {
        status: 'REJECTED',
        errorKey: 'upload.error.abandoned',
        errorDetail: `no bytes received since ${file.updatedAt.toISOString()}`,
        storageKey: null,
      },
    })
    if (count !== 1) return null
    // A draft whose main file never arrived: failed, with the reason, for its owner to delete.
    if (file.role === 'PRIMARY' && canTransition(file.resource.status, 'FAILED'))
      await tx.resource.updateMany({
        where: { id: file.resource.id, status: file.resource.status },
        data: { status: 'FAILED' },
      })
    return { key: file.storageKey }
  })
}

export async function sweepAbandonedUploads(opts: { abandonAfterMs?: number; now?: number } = {}) {
  const after = opts.abandonAfterMs ?? env().UPLOAD_ABANDON_AFTER_HOURS * 3600_000
  const now = opts.now ?? Date.now()
  const cutoff = new Date(now - after)
  let abandoned = 0
  let cursor: string | undefined
  for (;;) {
    const batch = await prisma.resourceFile.findMany({
      where: { status: 'UPLOADING', updatedAt: { lt: cutoff }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, storageKey: true },
      orderBy: { id: 'asc' },
      take: 200,
    })
    if (!batch.length) break
    cursor = batch.at(-1)!.id
    for (const f of batch) {
      // A chunk still streaming (one long PATCH) moves the stored bytes, not the row.
      if (f.storageKey && (await lastStoredActivity(f.storageKey)) >= cutoff.getTime()) continue
      const done = await abandonUpload(f.id, cutoff)
      if (!done) continue
      abandoned++
      // After the commit, as with every refusal; a crash here leaves objects with no row
      // pointing at them, which the orphan pass removes.
      if (done.key) await removeUploadBytes(done.key)
      logger.info({ fileId: f.id }, 'abandoned upload swept')
    }
  }
  return abandoned
}

export async function sweepOrphans(opts: { graceMs?: number; now?: number } = {}) {
  const grace = opts.graceMs ?? 24 * 3600_000
  const now = opts.now ?? Date.now()
  const known = new Map<string, { storageKey: string | null; status: string } | null>()
  const fileFor = async (fileId: string) => {
    if (!known.has(fileId))
      known.set(
        fileId,
        await prisma.resourceFile.findUnique({ where: { id: fileId }, select: { storageKey: true, status: true } }),
      )
    return known.get(fileId)!
  }
  const accountsFor = async (original: string) => {
    const ref = parseOriginalKey(original)
    const f = ref ? await fileFor(ref.fileId) : null
    return !!f && f.storageKey === original
  }
  let removed = 0
  let kept = 0
  for (const root of ['originals/', 'derived/']) {
    for await (const key of storage.list(root)) {
      let orphan: boolean
      // tus bookkeeping on S3 sits beside the original as <key>.info / <key>.part.
      const base = key.replace(/\.(info|part)$/, '')
      if (root === 'originals/') {
        orphan = !(await accountsFor(base))
      } else {
        const fileId = key.split('/')[3] ?? ''
        const f = await fileFor(fileId)
        orphan = !f || !(LIVE_FILE as readonly string[]).includes(f.status)
      }
      if (!orphan) {
        kept++
        continue
      }
      const st = await storage.stat(key)
      if (!st) continue // removed meanwhile (with its .info, just before)
      if (st.lastModified && now - st.lastModified.getTime() < grace) continue
      // An upload's .info names its multipart upload on S3: abort that too, or its parts stay.
      if (root === 'originals/' && key.endsWith('.info')) await removeUploadBytes(base)
      else await storage.remove(key)
      removed++
    }
  }
  // The local tus store's bookkeeping lives outside the object tree.
  for await (const meta of localTusBookkeeping()) {
    if (meta.key && (await accountsFor(meta.key))) continue
    if (now - meta.modified.getTime() < grace) continue
    await meta.remove()
    removed++
  }
  if (removed) logger.info({ removed, kept }, 'storage sweep removed orphaned objects')
  return { removed, kept }
}

/** Both passes: abandoned uploads first, so that their bytes are not left for the next run. */
export async function sweepStorage(opts: { graceMs?: number; abandonAfterMs?: number; now?: number } = {}) {
  const abandoned = await sweepAbandonedUploads(opts)
  return { abandoned, ...(await sweepOrphans(opts)) }
}
