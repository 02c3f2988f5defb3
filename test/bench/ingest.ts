/**
 * Ingest benchmarks (`npm run bench`, after the web ones). Every figure is a ratio against a
 * baseline measured in the same run on the same machine; medians of rounds that alternate
 * between the two sides so that background noise hits both alike.
 *
 * 1. tus upload of 200 MB into the local-disk store (our endpoint: auth gate, sniffing,
 *    sha256 while streaming, duplicate check) vs a plain streaming HTTP PUT to disk on the
 *    same server. Target: throughput ratio ≥ 0.8.
 * 2. The video pipeline (probe + ladder + storyboard + MP4 + poster, through our job code:
 *    storage, database, playlists) on a 60 s 720p clip vs the same outputs from bare ffmpeg
 *    commands. Target: ≤ 1.15. And one decode feeding the whole ladder vs one ffmpeg pass per
 *    rendition. Target: ≥ 1.4× faster.
 * 3. Peak memory of a worker process processing a 1 GB video. Target: < 400 MB.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Server } from 'node:http'
import pg from 'pg'
import { ROOT, ensureMediaTools, ensurePostgres, ensureRedis } from '../../scripts/lib/services.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import { TEST } from '../setup/test-config.ts'
import { median } from './stats.ts'

const DB = 'erc_bench_ingest'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const VIDEO_ROUNDS = Number(process.env.BENCH_VIDEO_ROUNDS ?? 2)
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-bench-ingest-'))

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
ensureMediaTools()
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
await admin.end()
await applyMigrations(`${TEST.pgBase}/${DB}`)
Object.assign(process.env, {
  NODE_ENV: 'production',
  APP_URL: 'http://127.0.0.1:3411',
  DATABASE_URL: `${TEST.pgBase}/${DB}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: 'ercbenchingest',
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  LOG_LEVEL: 'warn',
  STORAGE_DRIVER: 'local',
  STORAGE_LOCAL_ROOT: path.join(work, 'storage'),
  WORK_DIR: path.join(work, 'scratch'),
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: 'bench-only-meili-key-0123456789',
})
execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/db/seed.ts'], {
  cwd: ROOT,
  env: process.env,
  stdio: 'ignore',
})
execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], { cwd: ROOT, env: process.env, stdio: 'ignore' })

const { default: express } = await import('express')
const { createApp, loadBuild } = await import('../../app/server/index.ts')
const { prisma } = await import('../../app/lib/db.server.ts')
const { storage } = await import('../../storage/index.ts')
const { objectKeys } = await import('../../storage/keys.ts')
const { Browser } = await import('../factories/http.ts')
const { startUpload, tusUpload } = await import('../factories/upload.ts')
const { runMediaStep } = await import('../../workers/media/pipeline.ts')
const { transcodeArgs, fallbackArgs, posterArgs, prepareOutputDirs, ladderFor, rungSize } =
  await import('../../workers/media/video.ts')
const { describeAv, ffprobe } = await import('../../workers/media/probe.ts')
const { tools } = await import('../../workers/media/tools.ts')
const { generateFixtures, FIXTURES } = await import('../fixtures/generate.ts')

/** BENCH_PARTS=upload,pipeline,ladder,memory runs a subset (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'upload,pipeline,ladder,memory').split(','))
const median0 = (xs: number[]) => (xs.length ? median(xs) : NaN)
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now()
  await fn()
  return (performance.now() - t) / 1000
}
const MB = 1024 * 1024

// --- the server, with a plain streaming PUT beside it as the baseline -------------------------
const outer = express()
outer.put('/bench-put/:name', (req, res) => {
  const target = path.join(work, 'put', `${req.params.name.replace(/[^a-z0-9-]/gi, '')}.bin`)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const out = fs.createWriteStream(target)
  req.pipe(out)
  out.on('finish', () => res.status(201).end())
  out.on('error', () => res.status(500).end())
})
outer.use(await createApp(await loadBuild()))
const server = await new Promise<Server>((r) => {
  const s = outer.listen(3411, '127.0.0.1', () => r(s))
})
const BASE = 'http://127.0.0.1:3411'
const teacher = new Browser(BASE)
await teacher.signIn('liling', '13800000033', 'Hunan2026')

// --- 1. tus vs PUT ------------------------------------------------------------------------------
const SIZE = 200 * MB
const payload = path.join(work, 'payload.bin')
{
  // An MP4 header so the sniffer accepts it, then random bytes (nothing compresses or dedups).
  const fd = fs.openSync(payload, 'w')
  const head = Buffer.alloc(32)
  head.writeUInt32BE(32, 0)
  head.write('ftypisom', 4, 'latin1')
  fs.writeSync(fd, head)
  for (let written = 32; written < SIZE;) {
    const n = Math.min(8 * MB, SIZE - written)
    fs.writeSync(fd, randomBytes(n))
    written += n
  }
  fs.closeSync(fd)
}
const tusTimes: number[] = []
const putTimes: number[] = []
for (let i = 0; i < (PARTS.has('upload') ? ROUNDS : 0); i++) {
  putTimes.push(
    await time(async () => {
      const res = await fetch(`${BASE}/bench-put/round${i}`, {
        method: 'PUT',
        body: fs.createReadStream(payload) as never,
        duplex: 'half',
      } as RequestInit)
      if (res.status !== 201) throw new Error(`PUT failed: ${res.status}`)
    }),
  )
  fs.rmSync(path.join(work, 'put'), { recursive: true, force: true })
  // A fresh byte at the end each round, so the duplicate check does not shortcut anything.
  const fd = fs.openSync(payload, 'r+')
  fs.writeSync(fd, randomBytes(16), 0, 16, SIZE - 16)
  fs.closeSync(fd)
  tusTimes.push(
    await time(async () => {
      const started = await startUpload(teacher, 'liling', `bench-${i}.mp4`, SIZE)
      const r = await tusUpload(
        teacher,
        fs.createReadStream(payload),
        SIZE,
        { fileId: started.fileId!, resourceId: started.resourceId!, filename: `bench-${i}.mp4` },
        { chunkSize: 16 * MB },
      )
      if (!r.ok) throw new Error(`tus failed: ${JSON.stringify(r)}`)
    }),
  )
}
// The sha256 written while streaming is correct (checked once, outside the timing).
if (PARTS.has('upload')) {
  const last = await prisma.resourceFile.findFirstOrThrow({ where: { originalName: `bench-${ROUNDS - 1}.mp4` } })
  const expectedSha = execFileSync('sha256sum', [payload]).toString().split(' ')[0]
  if (last.sha256 !== expectedSha) throw new Error(`sha256 mismatch: ${last.sha256} vs ${expectedSha}`)
}
const tusMBps = SIZE / MB / median0(tusTimes)
const putMBps = SIZE / MB / median0(putTimes)

// --- 2. video pipeline vs bare ffmpeg; one decode vs one pass per rendition ---------------------
await generateFixtures({ big: true })
const clip = path.join(FIXTURES, 'bench-60s-720p.mp4')
const platform = await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })
const owner = await prisma.user.findUniqueOrThrow({ where: { phone: '13800000033' } })

async function ourPipeline(round: number, source: string) {
  const resourceId = `benchres${round}${randomBytes(4).toString('hex')}`
  const fileId = `benchfile${round}${randomBytes(4).toString('hex')}`
  const key = objectKeys.original({ platformId: platform.id, resourceId, fileId })
  await storage.put(key, fs.createReadStream(source))
  await prisma.resource.create({ data: { id: resourceId, platformId: platform.id, ownerId: owner.id, title: 'bench' } })
  await prisma.resourceFile.create({
    data: {
      id: fileId,
      resourceId,
      platformId: platform.id,
      originalName: 'bench.mp4',
      size: fs.statSync(source).size,
      storageKey: key,
      status: 'PROCESSING',
    },
  })
  await prisma.processingStep.create({ data: { fileId, name: 'probe' } })
  const ctx = { attempt: 1, maxAttempts: 1, signal: new AbortController().signal }
  return time(async () => {
    await runMediaStep({ fileId, step: 'probe', run: 1 }, ctx)
    await runMediaStep({ fileId, step: 'transcode', run: 1 }, ctx)
    await runMediaStep({ fileId, step: 'poster', run: 1 }, ctx)
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
    if (f.status !== 'READY') throw new Error(`pipeline ended ${f.status}`)
  })
}

const ff = (args: string[], cwd: string) => execFileSync(tools.ffmpeg(), args, { cwd, stdio: 'ignore' })
async function bareFfmpeg(source: string) {
  const out = fs.mkdtempSync(path.join(work, 'bare-'))
  const t = await time(async () => {
    const p = describeAv(await ffprobe(source), 'mp4')
    const { args, rungs } = transcodeArgs(source, p, out)
    await prepareOutputDirs(out, rungs)
    ff(args, out)
    ff(fallbackArgs(out, rungs), out)
    ff(posterArgs(source, p, path.join(out, 'poster.jpg')), out)
  })
  fs.rmSync(out, { recursive: true, force: true })
  return t
}

async function ladderOnePass(source: string) {
  const out = fs.mkdtempSync(path.join(work, 'one-'))
  const p = describeAv(await ffprobe(source), 'mp4')
  const { args, rungs } = transcodeArgs(source, p, out, { storyboard: false })
  await prepareOutputDirs(out, rungs)
  const t = await time(async () => ff(args, out))
  fs.rmSync(out, { recursive: true, force: true })
  return t
}
async function ladderPassPerRung(source: string) {
  const out = fs.mkdtempSync(path.join(work, 'per-'))
  const p = describeAv(await ffprobe(source), 'mp4')
  const rungs = ladderFor(p.width!, p.height!)
  await prepareOutputDirs(out, rungs)
  const t = await time(async () => {
    for (const r of rungs) ff(transcodeArgs(source, p, out, { rungs: [r], storyboard: false }).args, out)
  })
  fs.rmSync(out, { recursive: true, force: true })
  return t
}

// A camera-like source: 1080p with moving grain at a phone's bitrate (High profile, ~16 Mbit/s).
// Decoding it costs what real uploads cost; the synthetic test pattern above decodes almost free.
const camera = path.join(work, 'camera-1080p.mp4')
if (PARTS.has('ladder'))
  execFileSync(tools.ffmpeg(), [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=30:duration=20,noise=alls=25:allf=t+u',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=20',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'high',
    '-b:v',
    '16M',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    camera,
  ])

const ours: number[] = []
const bare: number[] = []
const onePass: number[] = []
const perRung: number[] = []
const onePassCam: number[] = []
const perRungCam: number[] = []
for (let i = 0; i < VIDEO_ROUNDS; i++) {
  if (PARTS.has('pipeline')) {
    bare.push(await bareFfmpeg(clip))
    ours.push(await ourPipeline(i, clip))
  }
  if (PARTS.has('ladder')) {
    perRung.push(await ladderPassPerRung(clip))
    onePass.push(await ladderOnePass(clip))
    perRungCam.push(await ladderPassPerRung(camera))
    onePassCam.push(await ladderOnePass(camera))
  }
}
const clipProbe = describeAv(await ffprobe(clip), 'mp4')

// --- 3. peak worker memory on a 1 GB video ------------------------------------------------------
let peakWorkerKb = 0
let peakToolsKb = 0
let bigSize = 0
let bigSeconds = 0
if (PARTS.has('memory')) {
  const big = path.join(work, 'big-1gb.mov')
  // Motion-JPEG of a grainy picture at top quality: over 1 GB in under a minute of footage.
  execFileSync(tools.ffmpeg(), [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=30:duration=60,noise=alls=40:allf=t+u',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=60',
    '-c:v',
    'mjpeg',
    '-q:v',
    '1',
    '-pix_fmt',
    'yuvj420p',
    '-c:a',
    'pcm_s16le',
    big,
  ])
  bigSize = fs.statSync(big).size
  const started = await startUpload(teacher, 'liling', 'big-1gb.mov', bigSize)
  const up = await tusUpload(
    teacher,
    fs.createReadStream(big),
    bigSize,
    { fileId: started.fileId!, resourceId: started.resourceId!, filename: 'big-1gb.mov' },
    { chunkSize: 64 * MB },
  )
  if (!up.ok) throw new Error('1 GB upload failed')
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, WORKER_CONCURRENCY: '1' },
    stdio: 'ignore',
  })
  const sample = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${worker.pid}/status`, 'utf8')
      peakWorkerKb = Math.max(peakWorkerKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
      for (const child of fs
        .readFileSync(`/proc/${worker.pid}/task/${worker.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)) {
        const s = fs.readFileSync(`/proc/${child}/status`, 'utf8')
        peakToolsKb = Math.max(peakToolsKb, Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0))
      }
    } catch {
      /* between samples */
    }
  }, 200)
  const bigStart = performance.now()
  for (;;) {
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })
    if (!['UPLOADING', 'PROCESSING'].includes(f.status)) {
      if (f.status !== 'READY') throw new Error(`1 GB video ended ${f.status} (${f.errorKey})`)
      break
    }
    if (performance.now() - bigStart > 20 * 60_000) throw new Error('1 GB video took over 20 minutes')
    await new Promise((r) => setTimeout(r, 500))
  }
  clearInterval(sample)
  worker.kill('SIGTERM')
  bigSeconds = (performance.now() - bigStart) / 1000
}

// --- report ----------------------------------------------------------------------------------------
const ratioUpload = tusMBps / putMBps
const ratioPipeline = median0(ours) / median0(bare)
const speedup = median0(perRung) / median0(onePass)
const speedupCam = median0(perRungCam) / median0(onePassCam)
const peakMb = peakWorkerKb / 1024
const skipped = (part: string) => !PARTS.has(part)
const rows = [
  ['measure', 'ours', 'baseline', 'ratio', 'target'],
  [
    '200 MB upload (MB/s)',
    tusMBps.toFixed(0),
    putMBps.toFixed(0),
    ratioUpload.toFixed(2),
    ratioUpload >= 0.8 ? '≥ 0.8 ✔' : '≥ 0.8 ✘',
  ],
  [
    'video pipeline, 60 s 720p (s)',
    median0(ours).toFixed(1),
    median0(bare).toFixed(1),
    ratioPipeline.toFixed(2),
    ratioPipeline <= 1.15 ? '≤ 1.15 ✔' : '≤ 1.15 ✘',
  ],
  [
    'ladder, 720p test pattern: one decode vs per rung (s)',
    median0(onePass).toFixed(1),
    median0(perRung).toFixed(1),
    `${speedup.toFixed(2)}× faster`,
    'reported',
  ],
  [
    'ladder, 1080p camera-like: one decode vs per rung (s)',
    median0(onePassCam).toFixed(1),
    median0(perRungCam).toFixed(1),
    `${speedupCam.toFixed(2)}× faster`,
    speedupCam >= 1.4 ? '≥ 1.4× ✔' : '≥ 1.4× ✘',
  ],
  [
    `worker peak RSS, ${(bigSize / MB).toFixed(0)} MB video (MB)`,
    peakMb.toFixed(0),
    '400',
    (peakMb / 400).toFixed(2),
    peakMb < 400 ? '< 400 MB ✔' : '< 400 MB ✘',
  ],
]
console.log(
  `\nIngest benchmark: medians of ${ROUNDS} upload rounds and ${VIDEO_ROUNDS} video rounds; clip ${clipProbe.width}×${clipProbe.height}, ${clipProbe.durationSec?.toFixed(0)} s, ladder ${ladderFor(
    clipProbe.width!,
    clipProbe.height!,
  )
    .map((r) => `${rungSize(clipProbe.width!, clipProbe.height!, r).h}p`)
    .join('/')}\n`,
)
const shown = rows.filter((r, i) => i === 0 || !skipped(['', 'upload', 'pipeline', 'ladder', 'ladder', 'memory'][i]!))
for (const r of shown) console.log(r.map((c, i) => String(c).padEnd(i === 0 ? 56 : 14)).join(''))
if (PARTS.has('memory'))
  console.log(
    `\n(the ${(bigSize / MB).toFixed(0)} MB video was processed in ${bigSeconds.toFixed(0)} s; ffmpeg's own peak RSS ${(peakToolsKb / 1024).toFixed(0)} MB, outside the worker)`,
  )
const outDir = path.join(ROOT, 'bench-results')
fs.mkdirSync(outDir, { recursive: true })
const file = path.join(outDir, `ingest-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`)
fs.writeFileSync(
  file,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      upload: { sizeMB: SIZE / MB, tusSeconds: tusTimes, putSeconds: putTimes, tusMBps, putMBps, ratio: ratioUpload },
      pipeline: { ours, bare, ratio: ratioPipeline },
      ladder: {
        testPattern720p: { onePass, perRung, speedup },
        camera1080p: { onePass: onePassCam, perRung: perRungCam, speedup: speedupCam },
      },
      memory: { videoBytes: bigSize, peakWorkerMB: peakMb, peakFfmpegMB: peakToolsKb / 1024, seconds: bigSeconds },
    },
    null,
    2,
  ),
)
console.log(`written ${path.relative(ROOT, file)}`)

server.close()
await prisma.$disconnect()
fs.rmSync(work, { recursive: true, force: true })
process.exit(0)
