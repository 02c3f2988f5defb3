/**
 * Cover cards for published resources that have no picture of their own (no video poster,
 * document page or image), as resource sites show them: the `cover.render` job draws each one
 * (workers/media/cover.ts) and stores it under its content key (storage/keys.ts,
 * covers/<platform>/<resource>/<hash>.webp), then asks for a search sync so that the cards,
 * which read their picture from the index (search/resource-document.ts `thumbOf`), show it.
 *
 * Safe to run twice: a cover already stored under the current key is not drawn again, and a
 * resource that has a picture, or is no longer published, is skipped.
 *
 * Covers are asked for by the `search.sync` job (`coversAfterSync`): every change that alters a
 * resource's search document syncs it (publication, a new title, a restore after takedown), so
 * right after a sync is the one place that sees them all. The same pass removes covers nobody
 * shows any more (an old title's, or those of a resource that now has a picture or was
 * unpublished); right after the sync no document names them.
 */
import { prisma } from '../../app/lib/db.server.ts'
import type { JobPayload } from '../../app/lib/jobs.ts'
import { enqueueJob } from '../../app/services/jobs/outbox.server.ts'
import { queueSearchSync } from '../../app/services/search/sync.server.ts'
import { newId } from '../../app/services/uploads/start-upload.server.ts'
import { coverKeyOf, existingCovers, thumbOf } from '../../search/resource-document.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { renderCover } from '../media/cover.ts'

/** Resources per `cover.render` job: a job draws them one after the other, ~10 ms each. */
export const COVER_BATCH = 100

/** Each resource's current cover key, and whether it needs a cover at all. */
async function coverStates(ids: string[]) {
  const rows = await prisma.resource.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: {
      id: true,
      platformId: true,
      status: true,
      title: true,
      resourceType: true,
      subject: true,
      grade: true,
      files: {
        where: { role: 'PRIMARY' },
        select: {
          id: true,
          status: true,
          derivatives: {
            where: { name: { in: ['poster', 'pages', 'image'] } },
            select: { name: true, key: true, meta: true },
          },
        },
      },
    },
  })
  return rows.map((r) => ({
    row: r,
    key: coverKeyOf(r),
    // A main file still being processed brings its own picture (a poster, a first page).
    needed:
      r.status === 'PUBLISHED' &&
      !thumbOf(r.files.find((f) => f.status === 'READY')) &&
      !r.files.some((f) => f.status === 'UPLOADING' || f.status === 'PROCESSING'),
  }))
}

/** Of the published resources (all of them, or these), how many need a cover card, and which
 * of those have none yet (the demo's progress line, and what it queues). */
export async function coverReport(only?: string[]) {
  let needed = 0
  const missing: string[] = []
  const check = async (ids: string[]) => {
    const states = (await coverStates(ids)).filter((s) => s.needed)
    const drawn = await existingCovers(states.map((s) => s.key))
    needed += states.length
    missing.push(...states.filter((s) => !drawn.has(s.key)).map((s) => s.row.id))
  }
  if (only) {
    for (let i = 0; i < only.length; i += 1_000) await check(only.slice(i, i + 1_000))
    return { needed, missing }
  }
  for (let after = ''; ;) {
    const page = await prisma.resource.findMany({
      where: { status: 'PUBLISHED', id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1_000,
      select: { id: true },
    })
    if (!page.length) return { needed, missing }
    await check(page.map((r) => r.id))
    after = page.at(-1)!.id
  }
}

export async function renderCoversJob({ resourceIds }: JobPayload<'cover.render'>) {
  const drawn: string[] = []
  for (const s of await coverStates(resourceIds)) {
    if (!s.needed || (await storage.stat(s.key))) continue
    const bytes = await renderCover({
      title: s.row.title,
      type: s.row.resourceType,
      subject: s.row.subject,
      grade: s.row.grade,
    })
    await storage.put(s.key, bytes, { contentType: 'image/webp', size: bytes.length })
    drawn.push(s.row.id)
  }
  if (drawn.length) await prisma.$transaction((tx) => queueSearchSync(tx, drawn))
  return drawn.length
}

/** Queues `cover.render` jobs for these resources, COVER_BATCH at a time (through the outbox).
 * Returns the queue's job ids. */
export async function queueCovers(resourceIds: string[]) {
  const ids = [...new Set(resourceIds)]
  const jobIds: string[] = []
  for (let i = 0; i < ids.length; i += COVER_BATCH) {
    const batch = ids.slice(i, i + COVER_BATCH)
    // A fresh id each time: a cover removed and needed again must be drawn again, even while
    // the queue still remembers the job that drew it first.
    const jobId = `${batch.length === 1 ? batch[0] : 'batch'}.${newId()}`
    await enqueueJob(prisma, 'cover.render', { resourceIds: batch }, jobId)
    jobIds.push(jobId)
  }
  return jobIds
}

/** Run by the `search.sync` job once the index is in line: asks for the covers these resources
 * need and removes the ones no document names. Returns how many resources need one drawn. */
export async function coversAfterSync(resourceIds: string[]) {
  const missing: string[] = []
  for (const s of await coverStates(resourceIds)) {
    let present = false
    for await (const key of storage.list(
      objectKeys.coverPrefix({ platformId: s.row.platformId, resourceId: s.row.id }),
    ))
      if (s.needed && key === s.key) present = true
      else await storage.remove(key)
    if (s.needed && !present) missing.push(s.row.id)
  }
  if (missing.length) await queueCovers(missing)
  return missing.length
}
