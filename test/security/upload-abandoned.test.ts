/**
 * An upload nobody finishes must not stay UPLOADING for ever: it blocked every later replacement
 * of its resource, and its partial bytes stayed in storage. The `storage.sweep` job (run here
 * through the job registry, as the scheduler runs it) sweeps uploads idle for
 * UPLOAD_ABANDON_AFTER_HOURS, record and bytes, and leaves live ones alone.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Configurable: here an upload is abandoned after 6 idle hours (24 by default).
const ABANDON_HOURS = vi.hoisted(() => {
  process.env.UPLOAD_ABANDON_AFTER_HOURS = '6'
  return 6
})

import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { storage } from '../../storage/index.ts'
import { tusMetaDir, tusMetaFile } from '../../storage/tus-meta.ts'
import { jobRegistry } from '../../workers/registry.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import {
  backdateUpload,
  listKeys,
  settled,
  startIngestHarness,
  startUpload,
  tusPartial,
  tusUpload,
  uploadFile,
} from '../factories/upload.ts'

let h: Awaited<ReturnType<typeof startIngestHarness>>
beforeAll(async () => {
  await generateFixtures()
  h = await startIngestHarness()
}, 120_000)
afterAll(async () => {
  await h?.stop()
})

/** The job the scheduler runs (workers/index.ts), with its default payload. */
const runSweep = () => jobRegistry['storage.sweep'].handler({})
const tusMeta = (key: string) => tusMetaFile(tusMetaDir(path.resolve(env().STORAGE_LOCAL_ROOT)), key)

/** Starts an upload and sends only its first `sent` bytes, the way a closed laptop leaves one. */
async function startPartial(bytes: Buffer, name: string, attachTo?: string, replace = false) {
  const s = await startUpload(h.teacher, 'liling', name, bytes.length, attachTo, replace)
  expect(s, JSON.stringify(s)).toMatchObject({ ok: true })
  const r = await tusPartial(h.teacher, bytes, { fileId: s.fileId!, resourceId: s.resourceId!, filename: name }, 16_384)
  expect(r).toMatchObject({ created: 201, patched: 204 })
  const file = await prisma.resourceFile.findUniqueOrThrow({ where: { id: s.fileId! } })
  expect(file.status).toBe('UPLOADING')
  expect((await storage.stat(file.storageKey!))?.size).toBe(16_384)
  expect(fs.existsSync(tusMeta(file.storageKey!))).toBe(true)
  return { ...s, key: file.storageKey! }
}

describe('an abandoned upload', () => {
  it('no longer blocks a new replacement after the sweep, and its partial bytes and tus bookkeeping are gone', async () => {
    const first = await uploadFile(h.teacher, 'liling', path.join(FIXTURES, 'lesson.pdf'), '勾股定理学案.pdf')
    const resourceId = first.started.resourceId!
    expect((await settled(first.started.fileId!)).status).toBe('READY')
    const pdf = fs.readFileSync(path.join(FIXTURES, 'lesson.pdf')) // 46 KB: 16 KB of it are sent

    const stale = await startPartial(pdf, '学案修订版.pdf', resourceId, true)
    // While it is (apparently) under way, another replacement is refused.
    expect((await startUpload(h.teacher, 'liling', '学案第三版.pdf', pdf.length, resourceId, true)).status).toBe(409)
    // A sweep before the upload has been idle long enough changes nothing.
    await runSweep()
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: stale.fileId! } })).status).toBe('UPLOADING')

    // Idle for a while, but not yet for UPLOAD_ABANDON_AFTER_HOURS: kept.
    await backdateUpload(stale.fileId!, ABANDON_HOURS - 1)
    await runSweep()
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: stale.fileId! } })).status).toBe('UPLOADING')
    // Nobody sends another byte for longer than that.
    await backdateUpload(stale.fileId!, ABANDON_HOURS + 1)
    const fresh = await startPartial(pdf, '另一个草稿.pdf') // a live upload elsewhere: must survive
    await runSweep()
    await runSweep() // idempotent

    // A new replacement can start…
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
      .png()
      .toBuffer()
    const next = await startUpload(h.teacher, 'liling', '示意图.png', png.length, resourceId, true)
    expect(next, JSON.stringify(next)).toMatchObject({ ok: true, resourceId })
    // …because the abandoned one is refused, with a reason, and nothing of it is left.
    const swept = await prisma.resourceFile.findUniqueOrThrow({ where: { id: stale.fileId! } })
    expect(swept).toMatchObject({ status: 'REJECTED', errorKey: 'upload.error.abandoned', storageKey: null })
    expect(await storage.stat(stale.key)).toBeNull()
    expect(fs.existsSync(tusMeta(stale.key))).toBe(false)
    expect(await listKeys('originals/')).not.toContain(stale.key)
    // The resource kept its main file.
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: first.started.fileId! } })).role).toBe('PRIMARY')
    // The live upload elsewhere was left alone.
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: fresh.fileId! } })).status).toBe('UPLOADING')
    expect(await storage.stat(fresh.key)).not.toBeNull()

    // …and the new replacement goes all the way through.
    const sent = await tusUpload(h.teacher, png, png.length, {
      fileId: next.fileId!,
      resourceId,
      filename: '示意图.png',
    })
    expect(sent).toMatchObject({ ok: true })
    expect((await settled(next.fileId!)).role).toBe('PRIMARY')

    // The abandoned upload cannot be resumed into: its bytes are gone for good.
    const late = await fetch(`${h.server.base}/uploads/${stale.key.split('/').slice(1).join('.')}`, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '16384',
        'content-type': 'application/offset+octet-stream',
        cookie: h.teacher.cookieHeader(),
      },
      body: 'x',
    })
    expect(late.status).toBe(404)
  })

  it('of a new resource leaves its draft failed, with the reason in Chinese for its owner, and no bytes', async () => {
    const pdf = fs.readFileSync(path.join(FIXTURES, 'lesson.pdf'))
    const stale = await startPartial(Buffer.concat([pdf, Buffer.from('\n% 第二稿\n')]), '未传完的课件.pdf')
    await backdateUpload(stale.fileId!, ABANDON_HOURS + 1)
    await runSweep()

    const resource = await prisma.resource.findUniqueOrThrow({ where: { id: stale.resourceId! } })
    expect(resource.status).toBe('FAILED')
    expect(await storage.stat(stale.key)).toBeNull()
    expect(fs.existsSync(tusMeta(stale.key))).toBe(false)
    const page = await h.teacher.get(`/p/liling/r/${stale.resourceId}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('处理失败')
    expect(html).toContain('长时间没有继续上传')
  })
})
