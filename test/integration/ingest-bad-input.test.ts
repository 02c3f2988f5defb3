/**
 * The bad-input corpus (test/fixtures/generate.ts), one test per case, through the real upload
 * endpoint and workers. Each must end with a clear Chinese message to the uploader, no object
 * left in storage, and the worker still serving the next job.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Small limits for this file only, set before the environment is first read.
vi.hoisted(() => {
  process.env.UPLOAD_MAX_IMAGE_MB = '0.02' // 20 KB; photo-gps.jpg is about 38 KB
})

import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { translator, type MessageKey } from '~/lib/i18n/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { tusMetaDir, tusMetaFile } from '../../storage/tus-meta.ts'
import { FIXTURES } from '../fixtures/generate.ts'
import type { Browser } from '../factories/http.ts'
import {
  leftAfterCleanup,
  settled,
  startUpload,
  tusUpload,
  uploadFile,
  listKeys,
  startIngestHarness,
} from '../factories/upload.ts'

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 })
const zh = translator('zh-CN')
const fx = (name: string) => path.join(FIXTURES, name)

let harness: Awaited<ReturnType<typeof startIngestHarness>>
let teacher: Browser

beforeAll(async () => {
  harness = await startIngestHarness()
  teacher = harness.teacher
})
afterAll(() => harness.stop())

/** Every object stored for one file: its original (and any tus part) and its derivatives. */
function objectsOf(f: { platformId: string; resourceId: string; id: string }) {
  return listKeys(
    `originals/${f.platformId}/${f.resourceId}/${f.id}`,
    `derived/${f.platformId}/${f.resourceId}/${f.id}/`,
  )
}

/**
 * The local tus store's bookkeeping for one file's upload. @tus/file-store keeps the bytes at the
 * upload's id (the original's object key, listed by `objectsOf`) and its metadata in our
 * configstore, `<root>-tus/<sha1 of that key>.json` (storage/tus-meta.ts): the name holds no file
 * id, so besides that exact name, any bookkeeping file whose content names the key counts too.
 * The first test shows this finds an upload's bookkeeping while it is there.
 */
function tusBookkeepingOf(f: { platformId: string; resourceId: string; id: string }) {
  const dir = tusMetaDir(env().STORAGE_LOCAL_ROOT)
  const key = objectKeys.original({ platformId: f.platformId, resourceId: f.resourceId, fileId: f.id })
  const exact = tusMetaFile(dir, key)
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .map((n) => path.join(dir, n))
    .filter((p) => p === exact || fs.readFileSync(p, 'utf8').includes(key))
}

/** Uploads a bad file and checks the whole outcome: status, message on the page, no leftovers. */
async function expectRefused(
  file: string,
  name: string,
  key: MessageKey,
  opts: { atUpload?: boolean; attachTo?: string } = {},
) {
  const bytes = fs.readFileSync(file)
  const started = await startUpload(teacher, 'liling', name, bytes.length, opts.attachTo)
  expect(started.ok).toBe(true)
  const result = await tusUpload(teacher, bytes, bytes.length, {
    fileId: started.fileId!,
    resourceId: started.resourceId!,
    filename: name,
  })
  if (opts.atUpload) {
    // Refused on the first bytes: the uploader reads why in the upload's response.
    expect(result.ok).toBe(false)
    expect('body' in result && result.body).toBe(
      key === 'media.error.tooLargeKind' ? zh('media.error.tooLarge', { limit: '20 KB' }) : zh(key),
    )
  } else {
    expect(result).toMatchObject({ ok: true })
  }
  const f = await settled(started.fileId!)
  expect(f.status).toBe('REJECTED')
  expect(f.errorKey).toBe(key)
  expect(f.storageKey).toBeNull()
  expect(await leftAfterCleanup(() => objectsOf(f))).toEqual([])
  expect(await prisma.derivative.count({ where: { fileId: f.id } })).toBe(0)
  // …nor the upload's bookkeeping.
  expect(await leftAfterCleanup(() => tusBookkeepingOf(f))).toEqual([])
  // The uploader sees the reason, in Chinese, on the resource page.
  const html = await (await teacher.get(`/p/liling/r/${f.resourceId}`)).text()
  expect(html).toContain(zh(key))
  return f
}

describe('bad input is refused with a clear message and leaves nothing behind', () => {
  it("the leftover check sees an upload's tus bookkeeping while the upload is in progress", async () => {
    const started = await startUpload(teacher, 'liling', '进行中.pdf', 1000)
    expect(started.ok).toBe(true)
    // A tus creation request with no bytes yet: the store writes its bookkeeping now.
    const created = await fetch(`${harness.server.base}/uploads`, {
      method: 'POST',
      headers: {
        cookie: teacher.cookieHeader(),
        'tus-resumable': '1.0.0',
        'upload-length': '1000',
        'upload-metadata': `fileId ${Buffer.from(started.fileId!).toString('base64')}`,
      },
    })
    expect(created.status).toBe(201)
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })
    const found = tusBookkeepingOf(f)
    expect(found).toEqual([
      tusMetaFile(
        tusMetaDir(env().STORAGE_LOCAL_ROOT),
        objectKeys.original({ platformId: f.platformId, resourceId: f.resourceId, fileId: f.id }),
      ),
    ])
    expect(JSON.parse(fs.readFileSync(found[0]!, 'utf8'))).toMatchObject({
      id: objectKeys.original({ platformId: f.platformId, resourceId: f.resourceId, fileId: f.id }),
      size: 1000,
      offset: 0,
    })
  })

  it('zero bytes: refused before any upload starts', async () => {
    const r = await startUpload(teacher, 'liling', '空文件.mp4', 0)
    expect(r).toMatchObject({ ok: false, status: 400, error: zh('media.error.empty') })
    expect(r.error).toContain('0 字节')
  })

  it('a file over the size limit: refused at start by its declared size', async () => {
    const r = await startUpload(teacher, 'liling', '大图.png', 5 * 1024 * 1024)
    expect(r).toMatchObject({ ok: false, status: 413 })
    expect(r.error).toBe('文件太大：这类文件最大 20 KB。')
  })

  it('a file over the size limit under a misleading name: refused on its first bytes', async () => {
    await expectRefused(fx('photo-gps.jpg'), '资料.bin', 'media.error.tooLargeKind', { atUpload: true })
  })

  it('an executable renamed .mp4: refused on its first bytes', async () => {
    const f = await expectRefused(fx('bad-executable.mp4'), '微课.mp4', 'media.error.unsupported', { atUpload: true })
    expect(f.steps).toEqual([]) // never reached the workers
  })

  it('a truncated MP4', async () => {
    await expectRefused(fx('bad-truncated.mp4'), '截断的视频.mp4', 'media.error.corrupt')
  })

  it('a video with no video stream', async () => {
    await expectRefused(fx('bad-no-video.mp4'), '只有声音.mp4', 'media.error.noVideoStream')
  })

  it('an over-long video', async () => {
    await expectRefused(fx('bad-too-long.mp4'), '超长录像.mp4', 'media.error.tooLong')
  })

  it('a DOCX zip bomb', async () => {
    await expectRefused(fx('bad-zip-bomb.docx'), '教案.docx', 'media.error.zipBomb')
  })

  it('a pixel-flood PNG', async () => {
    // 74 bytes on disk, 10 billion pixels declared: refused from the header, never decoded.
    await expectRefused(fx('bad-pixel-flood.png'), '插图.png', 'media.error.pixelFlood')
  })

  it('a password-protected PDF', async () => {
    await expectRefused(fx('bad-encrypted.pdf'), '试卷.pdf', 'media.error.encrypted')
  })

  it('a corrupt PPTX', async () => {
    await expectRefused(fx('bad-corrupt.pptx'), '课件.pptx', 'media.error.corrupt')
  })

  it('an SRT with broken timings, attached to a video', async () => {
    const { started } = await uploadFile(teacher, 'liling', fx('short-360p.mov'), '短视频.mov')
    expect((await settled(started.fileId!)).status).toBe('READY')
    const f = await expectRefused(fx('bad-timings.srt'), '字幕.srt', 'media.error.badSubtitle', {
      attachTo: started.resourceId,
    })
    expect(f.errorDetail).toContain('line 6') // the reviewer-facing detail names the bad cue
    // The video itself is untouched.
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })).status).toBe('READY')
  })

  it('a subtitle file on its own is refused: subtitles belong to a video', async () => {
    await expectRefused(fx('subtitles.srt'), '字幕.srt', 'upload.error.subtitleNeedsVideo', { atUpload: true })
  })

  it('after all that, the worker still processes good files', async () => {
    const { started } = await uploadFile(teacher, 'liling', fx('lesson.pdf'), '好文件.pdf')
    expect((await settled(started.fileId!)).status).toBe('READY')
  })
})
