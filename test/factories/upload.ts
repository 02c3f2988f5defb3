/**
 * Uploads a file the way the browser does: start (draft + file record) over the app's API,
 * then the bytes over tus with tus-js-client (its Node build), against the real server.
 */
import fs from 'node:fs'
import * as tus from 'tus-js-client'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
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
