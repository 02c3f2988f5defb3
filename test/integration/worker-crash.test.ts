/**
 * A worker killed with SIGKILL in the middle of a transcode: after a new worker starts, the job
 * completes, its outputs exist once (no duplicate rows, no stray segments) and the killed run's
 * scratch folder and orphaned ffmpeg are gone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
import { ROOT } from '../../scripts/lib/services.ts'
import { queue } from '../../workers/queue.ts'
import { readPlaylist } from '../../workers/media/video.ts'
import { FIXTURES } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { settled, uploadFile } from '../factories/upload.ts'

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 })

const work = path.join(os.tmpdir(), `erc-crash-${randomBytes(3).toString('hex')}`)
let server: Awaited<ReturnType<typeof startTestServer>>
const children: ChildProcess[] = []

/** The worker process as production runs it (node directly, so SIGKILL hits the worker itself). */
function startWorkerProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER_LOCK_MS: '3000',
      WORK_DIR: work,
      LOG_FILE: path.join(work + '-logs', `worker-${children.length}.log`),
    },
    stdio: 'ignore',
  })
  children.push(child)
  return child
}

/** Processes whose working directory is inside the scratch root (an ffmpeg at work). */
function processesInWork() {
  const found: { pid: number; cwd: string }[] = []
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`)
      if (cwd.startsWith(work + path.sep)) found.push({ pid: Number(name), cwd })
    } catch {
      /* gone or not ours */
    }
  }
  return found
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  await seedDemo()
  fs.mkdirSync(work + '-logs', { recursive: true })
  server = await startTestServer()
})
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await queue.close()
  await server.close()
  fs.rmSync(work, { recursive: true, force: true })
  fs.rmSync(work + '-logs', { recursive: true, force: true })
})

describe('a worker killed mid-transcode', () => {
  it('is taken over after restart: the job completes once, cleanly', async () => {
    const first = startWorkerProcess()
    const teacher = new Browser(server.base)
    await teacher.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
    const { started } = await uploadFile(teacher, 'liling', path.join(FIXTURES, 'lesson-720p.mp4'), '断电测试.mp4')
    const fileId = started.fileId!

    // Wait for ffmpeg to be transcoding in the first worker's scratch folder, with segments written.
    const busy = await until('ffmpeg transcoding', () => {
      const p = processesInWork().find((x) => x.cwd.includes(`${first.pid}-transcode`))
      return p && fs.existsSync(path.join(p.cwd, 'hls/360p/seg_0000.ts')) ? p : undefined
    })
    first.kill('SIGKILL')
    await until('the first worker to die', () => first.exitCode !== null || first.signalCode !== null)
    expect(fs.existsSync(busy.cwd)).toBe(true) // the killed run left its scratch folder behind

    startWorkerProcess()
    const f = await settled(fileId, 150_000)
    expect(f.status).toBe('READY')
    const transcode = f.steps.find((s) => s.name === 'transcode')!
    expect(transcode.status).toBe('DONE')
    expect(transcode.attempts).toBeGreaterThanOrEqual(2) // it really ran again

    // Outputs exist once: one row per output, and exactly the objects the playlists name.
    expect(f.derivatives.map((d) => d.name).sort()).toEqual(['hls', 'mp4', 'poster', 'storyboard'])
    const hls = f.derivatives.find((d) => d.name === 'hls')!
    const listed: string[] = []
    for await (const k of storage.list(hls.key)) listed.push(k.slice(hls.key.length))
    const expected = ['master.m3u8']
    for (const rung of ['360p', '540p', '720p']) {
      const local = path.join(work, 'check.m3u8')
      fs.mkdirSync(work, { recursive: true })
      fs.writeFileSync(local, await new Response((await storage.get(`${hls.key}${rung}/index.m3u8`)) as never).text())
      expected.push(`${rung}/index.m3u8`, ...(await readPlaylist(local)).map((s) => `${rung}/${s.uri}`))
      fs.rmSync(local)
    }
    expect(listed.sort()).toEqual(expected.sort())

    // Scratch space is clean: no folder left, no orphaned ffmpeg.
    await until('scratch folder to be empty', () => fs.readdirSync(work).length === 0, 10_000)
    expect(processesInWork()).toEqual([])
    expect(await prisma.processingStep.count({ where: { fileId, status: { not: 'DONE' } } })).toBe(0)
  })
})
