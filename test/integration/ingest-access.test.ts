/**
 * Who may send bytes, read a draft and retry its processing; a step over its time limit is
 * killed and can be retried by hand.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

vi.hoisted(() => {
  // Every processing step gets the 5 s minimum: the 30 s transcode below cannot finish in time.
  process.env.MEDIA_TIMEOUT_FACTOR = '0.0001'
})

import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { retryProcessing } from '~/services/media/retry-processing.server.ts'
import { getResourceView } from '~/services/resources/resource-view.server.ts'
import { workDir } from '~/services/media/limits.server.ts'
import { queue } from '../../workers/queue.ts'
import { startWorkers } from '../../workers/runner.ts'
import { FIXTURES } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, actorByPhone, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { settled, startUpload, tusUpload } from '../factories/upload.ts'

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 })

let server: Awaited<ReturnType<typeof startTestServer>>
let workers: ReturnType<typeof startWorkers>
let owner: Browser
let other: Browser
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  owner = new Browser(server.base)
  await owner.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
  other = new Browser(server.base)
  await other.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
})
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server.close()
})

const code = (e: unknown) => (isAppError(e) ? e.code : String(e))

describe('the upload endpoint checks who sends bytes', () => {
  it('only the owner of a draft file may create, continue or inspect its upload', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'lesson.pdf'))
    const s = await startUpload(owner, 'liling', '学案.pdf', bytes.length)
    const meta = { fileId: s.fileId!, resourceId: s.resourceId!, filename: '学案.pdf' }
    // Another teacher of the same platform, and nobody at all.
    expect(await tusUpload(other, bytes, bytes.length, meta)).toMatchObject({ ok: false, status: 403 })
    expect(await tusUpload(new Browser(server.base), bytes, bytes.length, meta)).toMatchObject({
      ok: false,
      status: 401,
    })
    // A length other than the declared one.
    expect(await tusUpload(owner, bytes, bytes.length + 1, meta)).toMatchObject({ ok: false, status: 400 })
    // A foreign page cannot post to it.
    const cross = await fetch(`${server.base}/uploads`, {
      method: 'POST',
      headers: {
        cookie: owner.cookieHeader(),
        origin: 'https://evil.example',
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
      },
    })
    expect(cross.status).toBe(403)
    const ok = await tusUpload(owner, bytes, bytes.length, meta)
    expect(ok).toMatchObject({ ok: true })
    const url = (ok as { url: string }).url
    const head = (b: Browser) =>
      fetch(url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0', cookie: b.cookieHeader() } })
    expect((await head(owner)).status).toBe(200)
    expect((await head(other)).status).toBe(403)
    // Finished: no more bytes accepted.
    const patch = await fetch(url, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        cookie: owner.cookieHeader(),
      },
      body: 'x',
    })
    expect(patch.status).toBe(409)
  })

  it('a teacher of another platform cannot start an upload there; drafts are invisible outside', async () => {
    const r = await startUpload(other, 'zhuzhou', 'x.pdf', 100)
    expect(r.status).toBe(403)
    const draft = await prisma.resource.findFirstOrThrow({ where: { title: '学案' }, include: { platform: true } })
    expect(
      code(
        await getResourceView(await actorByPhone(PHONES.changshaxianTeacher), draft.id, draft.platform).catch((e) => e),
      ),
    ).toBe('NOT_FOUND')
    expect(
      code(await getResourceView(await actorByPhone(PHONES.lilingTeacher2), draft.id, draft.platform).catch((e) => e)),
    ).toBe('NOT_FOUND')
    expect((await getResourceView(await actorByPhone(PHONES.lilingReviewer), draft.id, draft.platform)).canManage).toBe(
      false,
    )
    expect((await getResourceView(await actorByPhone(PHONES.lilingAdmin), draft.id, draft.platform)).canManage).toBe(
      true,
    )
    expect((await other.get(`/p/liling/r/${draft.id}`)).status).toBe(404)
  })
})

describe('a step over its time limit', () => {
  it('is killed, fails with a clear message after its attempts, leaves no scratch files, and can be retried by hand', async () => {
    workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
    const clip = path.join(os.tmpdir(), `erc-timeout-${process.pid}.mp4`)
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=25:duration=30',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      clip,
    ])
    const bytes = fs.readFileSync(clip)
    fs.rmSync(clip)
    const s = await startUpload(owner, 'liling', '超时.mp4', bytes.length)
    await tusUpload(owner, bytes, bytes.length, { fileId: s.fileId!, resourceId: s.resourceId!, filename: '超时.mp4' })
    // Three attempts, killed at 5 s each, with 10 s and 20 s back-off between them.
    const f = await settled(s.fileId!, 110_000)
    expect(f.status).toBe('FAILED')
    const transcode = f.steps.find((x) => x.name === 'transcode')!
    expect(transcode.status).toBe('FAILED')
    expect(transcode.errorKey).toBe('media.error.timeout')
    expect(transcode.attempts).toBe(3)
    // Killed at its limit, not left to finish: the last attempt ended soon after its 5 s.
    const killedMs = transcode.finishedAt!.getTime() - transcode.startedAt!.getTime()
    expect(killedMs).toBeGreaterThanOrEqual(4_900)
    expect(killedMs, `the timed-out attempt ran ${killedMs} ms`).toBeLessThan(8_000)
    expect(f.resource.status).toBe('FAILED')
    const scratch = fs.existsSync(workDir())
      ? fs.readdirSync(workDir()).filter((n) => n.startsWith(`${process.pid}-`))
      : []
    expect(scratch).toEqual([])
    const html = await (await owner.get(`/p/liling/r/${f.resourceId}`)).text()
    expect(html).toContain('处理超时')
    expect(html).toContain('重试处理')

    // Nobody else may retry it; its owner may, and with time enough it now completes.
    expect(code(await retryProcessing(await actorByPhone(PHONES.lilingTeacher2), f.id).catch((e) => e))).toBe(
      'NOT_FOUND',
    )
    expect(code(await retryProcessing(await actorByPhone(PHONES.lilingReviewer), f.id).catch((e) => e))).toBe(
      'FORBIDDEN',
    )
    ;(env() as { MEDIA_TIMEOUT_FACTOR: number }).MEDIA_TIMEOUT_FACTOR = 1
    await retryProcessing(await actorByPhone(PHONES.lilingTeacher), f.id)
    const again = await settled(f.id, 110_000)
    expect(again.status).toBe('READY')
    expect(again.resource.status).toBe('DRAFT')
    const whole = again.steps.find((x) => x.name === 'transcode')!
    expect(whole).toMatchObject({ status: 'DONE', run: 2 })
    const wholeMs = whole.finishedAt!.getTime() - whole.startedAt!.getTime()
    expect(killedMs, `a whole transcode took ${wholeMs} ms`).toBeLessThan(wholeMs) // (so the limit really cut it short)
    expect(await prisma.auditLog.count({ where: { action: 'resource.processing_retry', targetId: f.id } })).toBe(1)
  })
})
