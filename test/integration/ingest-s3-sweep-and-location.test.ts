/**
 * Ingest clean-ups on S3 (Ceph RGW, as in storage-drivers.test.ts).
 *  - The abandoned-upload sweep: an upload through @tus/s3-store leaves a multipart upload (the
 *    parts already sent), `<key>.info` and `<key>.part`. Sweeping it aborts the multipart upload
 *    and removes both objects; so does the orphan pass for an upload whose row is gone.
 *  - A photo's original is replaced in the bucket by its location-free bytes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'minio'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

const S3 = vi.hoisted(() => {
  const s3 = {
    port: 17490,
    accessKey: 'ERCABND' + Math.random().toString(36).slice(2, 10).toUpperCase(),
    secretKey: 'secret-' + Math.random().toString(36).slice(2),
    bucket: 'erc-abandon',
  }
  Object.assign(process.env, {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    S3_BUCKET: s3.bucket,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
  })
  return s3
})

import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { sweepAbandonedUploads, sweepOrphans } from '~/services/media/orphans.server.ts'
import { startRgw, type Rgw } from '../../scripts/lib/rgw.ts'
import { storage } from '../../storage/index.ts'
import type { S3Driver } from '../../storage/s3-driver.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import {
  geotaggedJpeg,
  jpegScanData,
  listKeys,
  locationTags,
  settled,
  startUpload,
  tusPartial,
  tusUpload,
} from '../factories/upload.ts'
import { queue } from '../../workers/queue.ts'
import { startWorkers } from '../../workers/runner.ts'

vi.setConfig({ testTimeout: 120_000, hookTimeout: 150_000 })

let rgw: Rgw
let server: Awaited<ReturnType<typeof startTestServer>>
let teacher: Browser
let s3: Client
beforeAll(async () => {
  await generateFixtures()
  rgw = await startRgw({ port: S3.port, monPort: 13310, accessKey: S3.accessKey, secretKey: S3.secretKey })
  await (storage as S3Driver).ensureBucket()
  s3 = new Client({
    endPoint: '127.0.0.1',
    port: S3.port,
    useSSL: false,
    accessKey: S3.accessKey,
    secretKey: S3.secretKey,
    region: 'us-east-1',
    pathStyle: true,
  })
  await seedDemo()
  server = await startTestServer()
  teacher = new Browser(server.base)
  await teacher.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
})
let workers: ReturnType<typeof startWorkers> | undefined
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server?.close()
  await rgw?.stop()
})

async function multipartUploads(key: string) {
  const found: string[] = []
  for await (const u of s3.listIncompleteUploads(S3.bucket, key, true) as AsyncIterable<{ key: string }>)
    if (u.key === key) found.push(u.key)
  return found
}

/** 9 MB of a 10 MB video: one 8 MB part in the multipart upload, the rest in `.part`. */
async function partialVideo(name: string) {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'lesson-720p.mp4'))
  const s = await startUpload(teacher, 'liling', name, bytes.length)
  const r = await tusPartial(teacher, bytes, { fileId: s.fileId!, resourceId: s.resourceId!, filename: name }, 9e6)
  expect(r).toMatchObject({ created: 201, patched: 204 })
  const { storageKey } = await prisma.resourceFile.findUniqueOrThrow({ where: { id: s.fileId! } })
  const key = storageKey!
  expect(await listKeys('originals/')).toEqual(expect.arrayContaining([`${key}.info`, `${key}.part`]))
  expect(await multipartUploads(key)).toEqual([key])
  return { ...s, key }
}

describe('abandoned uploads on S3', () => {
  it('are swept with their multipart upload, .info and .part', async () => {
    const stale = await partialVideo('没传完的微课.mp4')
    const hours = env().UPLOAD_ABANDON_AFTER_HOURS
    // Just before the limit nothing happens; past it the upload is swept, and again is harmless.
    expect(await sweepAbandonedUploads({ now: Date.now() + (hours - 1) * 3600_000 })).toBe(0)
    expect(await sweepAbandonedUploads({ now: Date.now() + (hours + 1) * 3600_000 })).toBe(1)
    expect(await sweepAbandonedUploads({ now: Date.now() + (hours + 1) * 3600_000 })).toBe(0)

    expect(await prisma.resourceFile.findUniqueOrThrow({ where: { id: stale.fileId! } })).toMatchObject({
      status: 'REJECTED',
      errorKey: 'upload.error.abandoned',
      storageKey: null,
    })
    expect((await listKeys('originals/')).filter((k) => k.startsWith(stale.key))).toEqual([])
    expect(await multipartUploads(stale.key)).toEqual([])
  })

  it('whose row is gone are removed by the orphan pass, multipart upload included', async () => {
    const gone = await partialVideo('删掉的草稿.mp4')
    await prisma.resource.delete({ where: { id: gone.resourceId! } }) // its file row goes with it
    await sweepOrphans({ graceMs: 0 })
    expect((await listKeys('originals/')).filter((k) => k.startsWith(gone.key))).toEqual([])
    expect(await multipartUploads(gone.key)).toEqual([])
  })
})

describe('a photo uploaded to S3', () => {
  it('is stored in the bucket without its GPS position, its image data unchanged', async () => {
    workers = startWorkers({ concurrency: 1, dispatchEveryMs: 100 })
    const photo = await geotaggedJpeg()
    const s = await startUpload(teacher, 'liling', '操场.jpg', photo.length)
    const sent = await tusUpload(teacher, photo, photo.length, {
      fileId: s.fileId!,
      resourceId: s.resourceId!,
      filename: '操场.jpg',
    })
    expect(sent).toMatchObject({ ok: true })
    const f = await settled(s.fileId!)
    expect(f.status).toBe('READY')
    const stored = Buffer.concat(await (await storage.get(f.storageKey!)).toArray())
    expect(locationTags(photo).length).toBeGreaterThan(0)
    expect(locationTags(stored)).toEqual([])
    expect(jpegScanData(stored).equals(jpegScanData(photo))).toBe(true)
    expect(Number(f.size)).toBe(stored.length)
    expect((await storage.stat(f.storageKey!))?.size).toBe(stored.length)
  })
})
