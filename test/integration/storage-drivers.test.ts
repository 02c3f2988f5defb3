/**
 * The storage module on both drivers: local disk, and S3 against a real S3 server on loopback
 * (Ceph RGW, started here: scripts/lib/rgw.ts). This file runs the whole app with
 * STORAGE_DRIVER=s3: tus uploads through @tus/s3-store (interrupted and resumed), processing
 * reading from and writing to the bucket, and media served from it with byte ranges.
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

const S3 = vi.hoisted(() => {
  const s3 = {
    port: 17480,
    accessKey: 'ERCTEST' + Math.random().toString(36).slice(2, 10).toUpperCase(),
    secretKey: 'secret-' + Math.random().toString(36).slice(2),
  }
  Object.assign(process.env, {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    S3_BUCKET: 'erc-test',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
  })
  return s3
})

import { prisma } from '~/lib/db.server.ts'
import { startRgw, type Rgw } from '../../scripts/lib/rgw.ts'
import { storage } from '../../storage/index.ts'
import { LocalDiskDriver } from '../../storage/local-driver.ts'
import type { S3Driver } from '../../storage/s3-driver.ts'
import type { StorageDriver } from '../../storage/types.ts'
import { objectKeys } from '../../storage/keys.ts'
import { mediaUrlsIn } from '../factories/media-fixture.ts'
import { FIXTURES } from '../fixtures/generate.ts'
import { Browser, type startTestServer } from '../factories/http.ts'
import { DEMO_PASSWORD, PHONES } from '../factories/index.ts'
import {
  leftAfterCleanup,
  settled,
  startUpload,
  tusUpload,
  uploadFile,
  listKeys,
  startIngestHarness,
} from '../factories/upload.ts'

vi.setConfig({ testTimeout: 120_000, hookTimeout: 150_000 })

let rgw: Rgw
let local: LocalDiskDriver
let harness: Awaited<ReturnType<typeof startIngestHarness>>
let server: Awaited<ReturnType<typeof startTestServer>>
let teacher: Browser
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-storage-'))

beforeAll(async () => {
  rgw = await startRgw({ port: S3.port, monPort: 13300, accessKey: S3.accessKey, secretKey: S3.secretKey })
  await (storage as S3Driver).ensureBucket()
  local = new LocalDiskDriver(path.join(tmp, 'local'), process.env.SESSION_SECRET!)
  harness = await startIngestHarness()
  ;({ server, teacher } = harness)
})
afterAll(async () => {
  await harness?.stop()
  await rgw?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const ref = { platformId: 'cplatform0001', resourceId: 'cresource0001', fileId: 'cfile0000001' }
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const read = async (r: Readable) => Buffer.concat(await r.toArray())

describe.each([
  ['local disk', () => local as StorageDriver],
  ['S3 (Ceph RGW)', () => storage],
])('storage contract: %s', (_name, driver) => {
  it('puts, stats, reads whole and by range, lists and removes', async () => {
    const d = driver()
    await d.check()
    const key = objectKeys.derived(ref, 'text/extract.txt')
    const body = Buffer.from('勾股定理：直角三角形两直角边的平方和等于斜边的平方。')
    await d.put(key, body, { contentType: 'text/plain; charset=utf-8', size: body.length })
    const st = await d.stat(key)
    expect(st?.size).toBe(body.length)
    expect(st?.contentType).toBe('text/plain; charset=utf-8')
    expect((await read(await d.get(key))).equals(body)).toBe(true)
    expect((await read(await d.get(key, { start: 0, end: 11 }))).toString()).toBe('勾股定理')
    expect((await read(await d.get(key, { start: 12 }))).equals(body.subarray(12))).toBe(true)
    const listed: string[] = []
    for await (const k of d.list(objectKeys.derivedPrefix(ref))) listed.push(k)
    expect(listed).toEqual([key])
    await d.remove(key)
    expect(await d.stat(key)).toBeNull()
  })

  it('streams a 30 MB object of unknown length in and out without changing a byte', async () => {
    const d = driver()
    const key = objectKeys.original(ref)
    const chunk = randomBytes(1024 * 1024)
    const expected = createHash('sha256')
    for (let i = 0; i < 30; i++) expected.update(chunk)
    await d.put(
      key,
      Readable.from(
        (function* () {
          for (let i = 0; i < 30; i++) yield chunk
        })(),
      ),
    )
    expect((await d.stat(key))?.size).toBe(30 * 1024 * 1024)
    const got = createHash('sha256')
    for await (const c of await d.get(key)) got.update(c as Buffer)
    expect(got.digest('hex')).toBe(expected.digest('hex'))
    await d.remove(key)
  })

  it('refuses keys that would leave the store', async () => {
    await expect(driver().put('originals/../../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid object key/)
    await expect(driver().get('secrets/x')).rejects.toThrow(/invalid object key/)
  })
})

describe('S3 presigned URLs', () => {
  it('serve the bytes and ranges until they expire; a tampered signature is refused', async () => {
    const key = objectKeys.derived(ref, 'pages/p-0001.webp')
    const body = randomBytes(100_000)
    await storage.put(key, body, { contentType: 'image/webp', size: body.length })
    const url = await storage.signedUrl(key, 2)
    const whole = await fetch(url)
    expect(whole.status).toBe(200)
    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true)
    const part = await fetch(url, { headers: { range: 'bytes=1000-1999' } })
    expect(part.status).toBe(206)
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(1000, 2000))).toBe(true)
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    )
    expect((await fetch(tampered)).status).toBe(403)
    await new Promise((r) => setTimeout(r, 3_000))
    expect((await fetch(url)).status).toBe(403)
    await storage.remove(key)
  })
})

describe('uploads and processing on S3', () => {
  it('an interrupted tus upload resumes from the server offset and lands byte-identical in the bucket', async () => {
    const file = path.join(FIXTURES, 'lesson-720p.mp4')
    const bytes = fs.readFileSync(file)
    const started = await startUpload(teacher, 'liling', '断点续传.mp4', bytes.length)
    const meta = { fileId: started.fileId!, resourceId: started.resourceId!, filename: '断点续传.mp4' }
    const first = await tusUpload(teacher, bytes, bytes.length, meta, {
      chunkSize: 5 * 1024 * 1024,
      abortAfter: bytes.length / 2,
    })
    expect(first).toMatchObject({ ok: false, aborted: true })
    const url = (first as { url: string }).url
    const head = await fetch(url, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', cookie: teacher.cookieHeader() },
    })
    const offset = Number(head.headers.get('upload-offset'))
    expect(offset).toBeGreaterThan(0)
    expect(offset).toBeLessThan(bytes.length)
    // Mid-upload, @tus/s3-store's bookkeeping sits beside the original's key (<key>.info), where
    // the listing below (and the refusal test's) looks for it.
    const original = objectKeys.original({
      platformId: (await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).id,
      resourceId: started.resourceId!,
      fileId: started.fileId!,
    })
    expect(await listKeys(original)).toContain(`${original}.info`)
    const second = await tusUpload(teacher, bytes, bytes.length, meta, { uploadUrl: url, chunkSize: 5 * 1024 * 1024 })
    expect(second).toMatchObject({ ok: true })
    const f = await settled(started.fileId!)
    expect(f.sha256).toBe(sha(bytes))
    expect(f.status).toBe('READY')
    expect(sha(await read(await storage.get(f.storageKey!)))).toBe(sha(bytes))

    // The player's media come out of the bucket through the signed /media route, with ranges:
    // the owner's player link, as the resource page hands it out (bound to her session).
    const hls = f.derivatives.find((x) => x.name === 'hls')!
    const page = await (await teacher.get(`/p/liling/r/${f.resourceId}`)).text()
    const token = mediaUrlsIn(page)
      .find((u) => u.endsWith('hls/master.m3u8'))!
      .split('/')[2]!
    const withSession = (headers: Record<string, string> = {}) => ({
      headers: { cookie: teacher.cookieHeader(), ...headers },
    })
    const master = await fetch(`${server.base}/media/${token}/hls/master.m3u8`, withSession())
    expect(master.status).toBe(200)
    expect(master.headers.get('content-type')).toContain('mpegurl')
    expect(await master.text()).toContain('720p/index.m3u8')
    const seg = await fetch(`${server.base}/media/${token}/hls/360p/seg_0000.ts`, withSession({ range: 'bytes=0-187' }))
    expect(seg.status).toBe(206)
    expect((await seg.arrayBuffer()).byteLength).toBe(188)
    expect(hls.isPrefix).toBe(true)
    const forged = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA')
    expect((await fetch(`${server.base}/media/${forged}/hls/master.m3u8`, withSession())).status).toBe(403)
    // Without the session it was made for, the same link opens nothing.
    expect((await fetch(`${server.base}/media/${token}/hls/master.m3u8`)).status).toBe(403)
  })

  it('a download, clicked as a user clicks it, is a presigned link to the bucket that gives the very bytes', async () => {
    const file = path.join(FIXTURES, 'lesson.pdf')
    const bytes = fs.readFileSync(file)
    const { started } = await uploadFile(teacher, 'liling', file, '下载测试讲义.pdf')
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    const res = await teacher.get(`/p/liling/r/${f.resourceId}/download`)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(location.host).toBe(`127.0.0.1:${S3.port}`)
    const got = await fetch(location)
    expect(got.status).toBe(200)
    expect(sha(Buffer.from(await got.arrayBuffer()))).toBe(sha(bytes))
    expect(decodeURIComponent(got.headers.get('content-disposition') ?? '')).toContain('下载测试讲义.pdf')
    // Another county's teacher: the draft does not exist for her, and neither does its download.
    const stranger = new Browser(server.base)
    await stranger.signIn('xiangtanxian', PHONES.xiangtanxianTeacher, DEMO_PASSWORD)
    expect((await stranger.get(`/p/liling/r/${f.resourceId}/download`)).status).toBe(404)
  })

  it('refused input leaves nothing in the bucket, not even tus bookkeeping', async () => {
    const { started } = await uploadFile(teacher, 'liling', path.join(FIXTURES, 'bad-executable.mp4'), '病毒.mp4')
    const f = await settled(started.fileId!)
    expect(f.status).toBe('REJECTED')
    expect(await leftAfterCleanup(() => listKeys(`originals/${f.platformId}/${f.resourceId}/`))).toEqual([])
    const processed = await uploadFile(teacher, 'liling', path.join(FIXTURES, 'bad-truncated.mp4'), '截断.mp4')
    const g = await settled(processed.started.fileId!)
    expect(g.status).toBe('REJECTED')
    expect(
      await leftAfterCleanup(() =>
        listKeys(`originals/${g.platformId}/${g.resourceId}/`, `derived/${g.platformId}/${g.resourceId}/`),
      ),
    ).toEqual([])
    expect(await prisma.resourceFile.count({ where: { status: 'REJECTED' } })).toBe(2)
  })
})
