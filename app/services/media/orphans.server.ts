/**
 * The storage sweeper: removes objects no database row accounts for. Refusals and duplicates
 * delete their bytes right after the database commit; a crash in between would leave an object
 * behind, and so would an upload abandoned before its first byte was accepted. Objects younger
 * than `graceMs` are left alone (an upload may be under way). Run by the `storage.sweep` job.
 */
import { prisma } from '~/lib/db.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { storage } from '../../../storage/index.ts'
import { parseOriginalKey } from '../../../storage/keys.ts'

const LIVE_FILE = ['UPLOADING', 'PROCESSING', 'READY', 'FAILED'] as const

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
  let removed = 0
  let kept = 0
  for (const root of ['originals/', 'derived/']) {
    for await (const key of storage.list(root)) {
      let orphan: boolean
      if (root === 'originals/') {
        // tus bookkeeping on S3 sits beside the original as <key>.info / <key>.part.
        const base = key.replace(/\.(info|part)$/, '')
        const ref = parseOriginalKey(base)
        const f = ref ? await fileFor(ref.fileId) : null
        orphan = !f || f.storageKey !== base
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
      if (st?.lastModified && now - st.lastModified.getTime() < grace) continue
      await storage.remove(key)
      removed++
    }
  }
  if (removed) logger.info({ removed, kept }, 'storage sweep removed orphaned objects')
  return { removed, kept }
}
