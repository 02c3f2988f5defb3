/**
 * Uploads a file the way the browser does: start (draft + file record) over the app's API,
 * then the bytes over tus with tus-js-client (its Node build), against the real server.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import sharp from 'sharp'
import * as tus from 'tus-js-client'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
import type { LocalDiskDriver } from '../../storage/local-driver.ts'
import { queue } from '../../workers/queue.ts'
import { startWorkers } from '../../workers/runner.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from './index.ts'
import { Browser, startTestServer } from './http.ts'

/**
 * What the ingest tests share: demo data, the real server, in-process workers and a Liling
 * teacher signed in over HTTP. `stop()` closes them in order.
 */
export async function startIngestHarness() {
  await seedDemo()
  const server = await startTestServer()
  const workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
  const teacher = new Browser(server.base)
  await teacher.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
  return {
    server,
    teacher,
    async stop() {
      await workers.stop()
      await queue.close()
      await server.close()
    },
  }
}

/** Every stored key under the given prefixes, sorted. */
export async function listKeys(...prefixes: string[]) {
  const keys: string[] = []
  for (const prefix of prefixes) for await (const k of storage.list(prefix)) keys.push(k)
  return keys.sort()
}

export type Started = { ok: boolean; resourceId?: string; fileId?: string; error?: string; status: number }

export async function startUpload(
  b: Browser,
  platform: string,
  name: string,
  size: number,
  attachTo?: string,
  replace = false,
): Promise<Started> {
  const token = await b.csrfToken(`/p/${platform}/upload`)
  const res = await b.post(`/p/${platform}/api/uploads`, {
    _csrf: token,
    name,
    size: String(size),
    ...(attachTo ? { attachTo } : {}),
    ...(replace ? { replace: '1' } : {}),
  })
  return { ...((await res.json()) as Omit<Started, 'status'>), status: res.status }
}

export type TusResult = { ok: true; url: string } | { ok: false; status: number; body: string }

export function tusUpload(
  b: Browser,
  data: Buffer | fs.ReadStream,
  size: number,
  metadata: Record<string, string>,
  opts: {
    chunkSize?: number
    onProgress?: (sent: number, upload: tus.Upload) => void
    uploadUrl?: string
    abortAfter?: number
  } = {},
): Promise<TusResult | { ok: false; aborted: true; url: string }> {
  return new Promise((resolve) => {
    const upload = new tus.Upload(data as never, {
      endpoint: `${b.base}/uploads`,
      uploadUrl: opts.uploadUrl,
      uploadSize: size,
      chunkSize: opts.chunkSize ?? 4 * 1024 * 1024,
      metadata,
      headers: { cookie: b.cookieHeader() },
      retryDelays: [],
      onProgress: (sent) => {
        opts.onProgress?.(sent, upload)
        // Simulates a dropped connection: stop sending, keep what the server has.
        if (opts.abortAfter !== undefined && sent >= opts.abortAfter)
          void upload.abort().then(() => resolve({ ok: false, aborted: true, url: upload.url ?? '' }))
      },
      onError: (err) => {
        const r = (err as tus.DetailedError).originalResponse
        resolve({ ok: false, status: r?.getStatus() ?? 0, body: r?.getBody() ?? String(err) })
      },
      onSuccess: () => resolve({ ok: true, url: upload.url ?? '' }),
    })
    upload.start()
  })
}

/** Start + tus in one go. */
export async function uploadFile(
  b: Browser,
  platform: string,
  file: string,
  name = file.split('/').pop()!,
  attachTo?: string,
  replace = false,
) {
  const bytes = fs.readFileSync(file)
  const started = await startUpload(b, platform, name, bytes.length, attachTo, replace)
  if (!started.ok) return { started, tus: null }
  const result = await tusUpload(b, bytes, bytes.length, {
    fileId: started.fileId!,
    resourceId: started.resourceId!,
    filename: name,
  })
  return { started, tus: result }
}

/** Waits until a file stops moving (ready, failed, refused, duplicate). */
/**
 * What is left once a refused file's bytes have been removed. The worker commits the refusal
 * first and removes the objects right after (workers/media/pipeline.ts; a crash in between is
 * the sweeper's to clean), so a test that has just read the REJECTED status can arrive before
 * the last delete. Polls `list` until it is empty or `ms` has passed, and returns what it last saw.
 */
export async function leftAfterCleanup<T>(list: () => Promise<T[]> | T[], ms = 15_000) {
  const end = Date.now() + ms
  for (;;) {
    const left = await list()
    if (!left.length || Date.now() > end) return left
    await new Promise((r) => setTimeout(r, 150))
  }
}

export async function settled(fileId: string, ms = 120_000) {
  const until = Date.now() + ms
  for (;;) {
    const f = await prisma.resourceFile.findUnique({
      where: { id: fileId },
      include: { steps: true, derivatives: true, resource: true },
    })
    if (f && !['UPLOADING', 'PROCESSING'].includes(f.status)) return f
    if (Date.now() > until)
      throw new Error(
        `file ${fileId} still ${f?.status} after ${ms} ms: ${JSON.stringify(f?.steps.map((s) => [s.name, s.status, s.errorKey]))}`,
      )
    await new Promise((r) => setTimeout(r, 150))
  }
}

/**
 * Makes an upload look idle for `hours`: its row's last activity and, on local disk, the
 * modification time of the bytes stored so far (what the abandoned-upload sweep looks at).
 */
export async function backdateUpload(fileId: string, hours: number) {
  const when = new Date(Date.now() - hours * 3600_000)
  await prisma.$executeRaw`UPDATE "ResourceFile" SET "updatedAt" = ${when} WHERE id = ${fileId}`
  const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
  if (storage.kind === 'local' && f.storageKey)
    await fs.promises.utimes((storage as LocalDiskDriver).pathFor(f.storageKey), when, when).catch(() => undefined)
}

/** 醴陵 (27.65 N, 113.49 E), as a phone records it. */
const POSITION = { lat: '27/1 39/1 0/1', lon: '113/1 29/1 2400/100', xmpLat: '27,39.0N', xmpLon: '113,29.4E' }

/**
 * A JPEG as a phone writes it: EXIF with the camera and a GPS position, taken sideways
 * (Orientation 6), and the position again in XMP. Noise, so the compressed data is not trivial.
 */
export async function geotaggedJpeg(opts: { width?: number; height?: number; orientation?: number } = {}) {
  const xmp =
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""' +
    ` xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="${POSITION.xmpLat}" exif:GPSLongitude="${POSITION.xmpLon}"/>` +
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  return sharp({
    create: {
      width: opts.width ?? 400,
      height: opts.height ?? 300,
      channels: 3,
      background: '#7a9',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'HUAWEI', Model: 'P60' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: POSITION.lat, GPSLongitudeRef: 'E', GPSLongitude: POSITION.lon },
    })
    .withXmp(xmp)
    .withMetadata({ orientation: opts.orientation ?? 6 })
    .toBuffer()
}

const LOCATION_TAG = /GPS|Location|City|Country|Province|State|Sub-?location/i

/**
 * Location tags an independent reader finds in image bytes: ExifTool when installed
 * (`apt-get install libimage-exiftool-perl`), else a scan for an EXIF GPS IFD pointer and XMP
 * GPS properties. Names like "GPS:GPSLatitude" or "XMP-exif:GPSLongitude".
 */
export function locationTags(bytes: Buffer): string[] {
  const tool = spawnSync('exiftool', ['-j', '-a', '-G1', '-n', '-'], { input: bytes, maxBuffer: 64 * 1024 * 1024 })
  if (tool.status === 0) {
    const [tags] = JSON.parse(tool.stdout.toString('utf8')) as Record<string, unknown>[]
    return Object.keys(tags ?? {}).filter((k) => LOCATION_TAG.test(k) && !k.startsWith('System:'))
  }
  const found: string[] = []
  const text = bytes.toString('latin1')
  for (const m of text.matchAll(/exif:GPS\w+/g)) found.push(`XMP-${m[0]}`)
  for (let at = text.indexOf('Exif\0\0'); at >= 0; at = text.indexOf('Exif\0\0', at + 1)) {
    const t = bytes.subarray(at + 6)
    const le = t.toString('latin1', 0, 2) === 'II'
    const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o))
    const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o))
    if (t.length < 8 || u16(2) !== 42) continue
    const ifd = u32(4)
    for (let i = 0; ifd + 14 + i * 12 <= t.length && i < u16(ifd); i++)
      if (u16(ifd + 2 + i * 12) === 0x8825) found.push('GPS:GPSInfo')
  }
  return found
}

/** A JPEG's compressed image data: from its first scan (SOS) to the end, found by walking the
 * segments before it (a marker inside EXIF must not fool it). Independent of the code under test. */
export function jpegScanData(b: Buffer) {
  let i = 2
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Error(`no marker at ${i}`)
    const marker = b[i + 1]!
    if (marker === 0xda) return b.subarray(i, b.lastIndexOf(Buffer.from([0xff, 0xd9])) + 2)
    i += 2 + b.readUInt16BE(i + 2)
  }
  throw new Error('no scan in this JPEG')
}

/**
 * Creates a tus upload and sends only its first `sendBytes` bytes in one PATCH, then stops,
 * as a closed laptop leaves an upload. Returns the upload's URL and the server's answers.
 */
export async function tusPartial(b: Browser, bytes: Buffer, metadata: Record<string, string>, sendBytes: number) {
  const meta = Object.entries(metadata)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',')
  const created = await fetch(`${b.base}/uploads`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': meta,
      cookie: b.cookieHeader(),
    },
  })
  const location = created.headers.get('location')
  if (created.status !== 201 || !location) return { created: created.status, patched: 0, url: '' }
  const url = new URL(location, `${b.base}/uploads/`).toString()
  const patched = await fetch(url, {
    method: 'PATCH',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
      cookie: b.cookieHeader(),
    },
    body: new Uint8Array(bytes.subarray(0, sendBytes)),
  })
  return { created: created.status, patched: patched.status, url }
}
