/**
 * Ingest benchmarks (`npm run bench:ingest`, last in `npm run bench`). Every figure is a ratio
 * against a baseline measured in the same run on the same machine; medians of rounds, and every
 * round runs every side, in reversed order every other round, so background noise hits all alike.
 *
 * 1. tus upload of 200 MB into the local-disk store (our endpoint: auth gate, sniffing, sha256
 *    while streaming, duplicate check) vs a plain streaming HTTP PUT to disk on the same server.
 *    Each round's file must arrive whole: the PUT's file has every byte, the tus upload's record
 *    has the sha256 of that round's bytes and goes on to processing (not a duplicate shortcut).
 *    Target: throughput ratio ≥ 0.8.
 * 2. The video pipeline (probe + ladder + storyboard + MP4 + poster, through our job code:
 *    storage, database, playlists) on a 60 s 720p clip vs the same outputs from bare ffmpeg,
 *    written out below as plain command lines (BARE_PIPELINE_720P), not built by our argument
 *    builders. Both sides' outputs are checked. Target: ≤ 1.15.
 *    And our one decode feeding the whole ladder vs one plain ffmpeg pass per rendition
 *    (PER_RUNG), on the clip and on a 1080p camera-like source. Target: ≥ 1.4× faster (camera).
 * 3. Peak memory of a worker process processing a 1 GB video. Target: < 400 MB.
 *
 * The run is INVALID (exit status 1, one "INVALID RUN: …" line, no table, no JSON) if anything
 * failed: a request, an upload, an ffmpeg command, a missing output, or a clip whose shape is not
 * the one the plain command lines are written for (test/bench/harness.ts).
 *
 *   BENCH_ROUNDS=3 BENCH_VIDEO_ROUNDS=2 npm run bench:ingest     the defaults (200 MB, 60 s clip, 1 GB video)
 *   BENCH_PARTS=upload,pipeline,ladder,memory                    a subset (all by default)
 *   BENCH_UPLOAD_MB=200 BENCH_CLIP_SECONDS=60 BENCH_CAMERA_SECONDS=20 BENCH_BIG_SECONDS=60   sizes
 *     (a clip length other than 60 generates a clip of that length like the 60 s fixture)
 *   BENCH_QUICK=1 npm run bench:ingest     short mode: 2 rounds of 16 MB, 2 video rounds on a 6 s clip
 *                                          and a 4 s camera source, a 3 s "big" video
 *   BENCH_SELFTEST_BREAK="upload, plain PUT@2"   self-test only: that round's PUT goes to a missing
 *                                          path (or "video pipeline, bare ffmpeg@1": a missing
 *                                          input), and the run must refuse
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Server } from 'node:http'
import pg from 'pg'
import { ROOT, ensureMediaTools, ensurePostgres, ensureRedis } from '../../scripts/lib/services.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import { TEST } from '../setup/test-config.ts'
import {
  QUICK,
  alternatingRounds,
  check,
  median,
  ownChild,
  ratio,
  refuse,
  refuseOnFailure,
  roundName,
  sabotaged,
  seconds,
  selfTestPath,
  setting,
  setupStep,
  tableRow,
  writeResults,
  BENCH_STRIPE_ENV,
} from './harness.ts'

refuseOnFailure()
const DB = 'erc_bench_ingest'
const ROUNDS = setting('BENCH_ROUNDS', 3, 2)
const VIDEO_ROUNDS = setting('BENCH_VIDEO_ROUNDS', 2, 2)
const UPLOAD_MB = setting('BENCH_UPLOAD_MB', 200, 16)
const CLIP_SECONDS = setting('BENCH_CLIP_SECONDS', 60, 6)
const CAMERA_SECONDS = setting('BENCH_CAMERA_SECONDS', 20, 4)
const BIG_SECONDS = setting('BENCH_BIG_SECONDS', 60, 3)
/** BENCH_PARTS=upload,pipeline,ladder,memory runs a subset (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'upload,pipeline,ladder,memory').split(','))
for (const p of PARTS)
  check(['upload', 'pipeline', 'ladder', 'memory'].includes(p), `BENCH_PARTS: unknown part ${JSON.stringify(p)}`)
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-bench-ingest-'))
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }))

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
  ...BENCH_STRIPE_ENV,
  LOG_LEVEL: 'warn',
  STORAGE_DRIVER: 'local',
  STORAGE_LOCAL_ROOT: path.join(work, 'storage'),
  WORK_DIR: path.join(work, 'scratch'),
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: 'bench-only-meili-key-0123456789',
})
const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
setupStep('seeding the demo data', tsx, ['scripts/db/seed.ts'], { cwd: ROOT, env: process.env })
setupStep('building the server (remix build)', path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
  cwd: ROOT,
  env: process.env,
})

const { default: express } = await import('express')
const { createApp, loadBuild } = await import('../../app/server/index.ts')
const { prisma } = await import('../../app/lib/db.server.ts')
const { storage } = await import('../../storage/index.ts')
const { objectKeys } = await import('../../storage/keys.ts')
const { Browser } = await import('../factories/http.ts')
const { startUpload, tusUpload } = await import('../factories/upload.ts')
const { runMediaStep } = await import('../../workers/media/pipeline.ts')
// Our side of the ladder comparison only; the baselines below are plain command lines.
const { transcodeArgs, prepareOutputDirs } = await import('../../workers/media/video.ts')
const { describeAv, ffprobe } = await import('../../workers/media/probe.ts')
const { tools } = await import('../../workers/media/tools.ts')
const { generateFixtures, FIXTURES } = await import('../fixtures/generate.ts')

const MB = 1024 * 1024
const median0 = (xs: number[]) => (xs.length ? median(xs) : NaN)

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
const signedIn = await teacher.signIn('liling', '13800000033', 'Hunan2026')
check(signedIn.status === 302, `signing in the teacher answered ${signedIn.status}`)

async function sha256Of(file: string) {
  const h = createHash('sha256')
  await pipeline(fs.createReadStream(file), h)
  return h.digest('hex')
}

// --- 1. tus vs PUT ------------------------------------------------------------------------------
const SIZE = UPLOAD_MB * MB
const payload = path.join(work, 'payload.bin')
const tusTimes: number[] = []
const putTimes: number[] = []
if (PARTS.has('upload')) {
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

  const put = async (round: number) => {
    const label = 'upload, plain PUT'
    const target = path.join(work, 'put', `round${round}.bin`)
    const t = await seconds(async () => {
      const res = await fetch(BASE + selfTestPath(label, round, `/bench-put/round${round}`), {
        method: 'PUT',
        body: fs.createReadStream(payload) as never,
        duplex: 'half',
      } as RequestInit).catch((e: Error & { cause?: Error }) =>
        refuse(`the PUT failed in ${roundName(round)} (${label}): ${e.cause?.message ?? e.message}`),
      )
      await res.arrayBuffer()
      check(res.status === 201, `the PUT answered ${res.status} in ${roundName(round)} (${label})`)
    })
    const got = fs.existsSync(target) ? fs.statSync(target).size : 0
    check(got === SIZE, `the PUT stored ${got} of ${SIZE} bytes in ${roundName(round)} (${label})`)
    fs.rmSync(path.join(work, 'put'), { recursive: true, force: true })
    return t
  }
  const tus = async (round: number) => {
    const label = 'upload, ours (tus)'
    // Fresh bytes at the end every round, so the duplicate check never shortcuts anything.
    const fd = fs.openSync(payload, 'r+')
    fs.writeSync(fd, randomBytes(16), 0, 16, SIZE - 16)
    fs.closeSync(fd)
    const expectedSha = await sha256Of(payload)
    let fileId = ''
    const t = await seconds(async () => {
      const started = await startUpload(teacher, 'liling', `bench-${round}.mp4`, SIZE)
      check(
        started.ok && started.fileId && started.resourceId,
        `starting the upload answered ${started.status} (${started.error ?? ''}) in ${roundName(round)} (${label})`,
      )
      fileId = started.fileId!
      const r = await tusUpload(
        teacher,
        fs.createReadStream(payload),
        SIZE,
        { fileId, resourceId: started.resourceId!, filename: `bench-${round}.mp4` },
        { chunkSize: 16 * MB },
      )
      check(r.ok, () => `the tus upload failed in ${roundName(round)} (${label}): ${JSON.stringify(r).slice(0, 300)}`)
    })
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
    check(
      f.status === 'PROCESSING' && f.sha256 === expectedSha && Number(f.size) === SIZE,
      `the uploaded file is ${f.status} with sha256 ${f.sha256} (expected PROCESSING, ${expectedSha}) in ${roundName(round)} (${label})`,
    )
    return t
  }
  const up = await alternatingRounds(ROUNDS, { put, tus })
  putTimes.push(...up.put)
  tusTimes.push(...up.tus)
}
const tusMBps = SIZE / MB / median0(tusTimes)
const putMBps = SIZE / MB / median0(putTimes)

// --- 2. video pipeline vs bare ffmpeg; one decode vs one pass per rendition ---------------------
/**
 * The bare baseline for a 1280×720 source with audio, written out as ffmpeg command lines: the
 * same outputs the pipeline makes (HLS 360p/540p/720p with 4 s segments on 2 s keyframes, the
 * storyboard sheets, the MP4 fallback remuxed from 720p, the poster), run in the output folder.
 * A line that starts with a space continues the command above it. {in} is the source,
 * {interval} the storyboard's seconds per thumbnail, {poster_at} where the poster is taken.
 */
const BARE_PIPELINE_720P = `
ffprobe -v error -print_format json -show_format -show_streams {in}
ffmpeg -hide_banner -nostdin -y -loglevel error -i {in}
  -filter_complex [0:v]format=yuv420p,split=4[s0][s1][s2][sb];[s0]scale=640:360:flags=bicubic[v0];[s1]scale=960:540:flags=bicubic[v1];[s2]scale=1280:720:flags=bicubic[v2];[sb]fps=1/{interval},scale=160:90,tile=10x10[sbo]
  -map [v0] -map 0:a:0 -c:a aac -b:a 96k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.0 -b:v 800k -maxrate 1200k -bufsize 1600k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/360p/seg_%04d.ts hls/360p/index.m3u8
  -map [v1] -map 0:a:0 -c:a aac -b:a 128k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.1 -b:v 1400k -maxrate 2100k -bufsize 2800k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/540p/seg_%04d.ts hls/540p/index.m3u8
  -map [v2] -map 0:a:0 -c:a aac -b:a 128k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.1 -b:v 2800k -maxrate 4200k -bufsize 5600k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/720p/seg_%04d.ts hls/720p/index.m3u8
  -map [sbo] -fps_mode passthrough -c:v mjpeg -q:v 5 -f image2 storyboard/sheet-%03d.jpg
ffmpeg -hide_banner -nostdin -y -loglevel error -i hls/720p/index.m3u8 -c copy -movflags +faststart fallback.mp4
ffmpeg -hide_banner -nostdin -y -loglevel error -ss {poster_at} -i {in} -frames:v 1 -vf scale='min(1280,iw)':-2 -q:v 3 poster.jpg
`
/** One plain ffmpeg pass per rendition (no storyboard), for a 16:9 source with audio. */
const PER_RUNG: Record<string, string> = {
  '360p': `
ffmpeg -hide_banner -nostdin -y -loglevel error -i {in} -filter_complex [0:v]format=yuv420p,split=1[s0];[s0]scale=640:360:flags=bicubic[v0]
  -map [v0] -map 0:a:0 -c:a aac -b:a 96k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.0 -b:v 800k -maxrate 1200k -bufsize 1600k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/360p/seg_%04d.ts hls/360p/index.m3u8
`,
  '540p': `
ffmpeg -hide_banner -nostdin -y -loglevel error -i {in} -filter_complex [0:v]format=yuv420p,split=1[s0];[s0]scale=960:540:flags=bicubic[v0]
  -map [v0] -map 0:a:0 -c:a aac -b:a 128k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.1 -b:v 1400k -maxrate 2100k -bufsize 2800k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/540p/seg_%04d.ts hls/540p/index.m3u8
`,
  '720p': `
ffmpeg -hide_banner -nostdin -y -loglevel error -i {in} -filter_complex [0:v]format=yuv420p,split=1[s0];[s0]scale=1280:720:flags=bicubic[v0]
  -map [v0] -map 0:a:0 -c:a aac -b:a 128k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 3.1 -b:v 2800k -maxrate 4200k -bufsize 5600k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/720p/seg_%04d.ts hls/720p/index.m3u8
`,
  '1080p': `
ffmpeg -hide_banner -nostdin -y -loglevel error -i {in} -filter_complex [0:v]format=yuv420p,split=1[s0];[s0]scale=1920:1080:flags=bicubic[v0]
  -map [v0] -map 0:a:0 -c:a aac -b:a 160k -ac 2 -c:v libx264 -preset veryfast -profile:v main -level:v 4.2 -b:v 5000k -maxrate 7500k -bufsize 10000k -force_key_frames expr:gte(t,n_forced*2) -sc_threshold 0 -f hls -hls_time 4 -hls_playlist_type vod -hls_list_size 0 -hls_flags independent_segments -hls_segment_filename hls/1080p/seg_%04d.ts hls/1080p/index.m3u8
`,
}

/** Command lines → argv arrays: continuation lines joined, split on spaces, {name}s filled in. */
function commandLines(text: string, vars: Record<string, string>) {
  const commands: string[][] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const words = line
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? refuse(`no value for {${k}} in a command line`)))
    if (/^\s/.test(line) && commands.length) commands[commands.length - 1]!.push(...words)
    else commands.push(words)
  }
  return commands
}
/** Runs plain command lines (ffmpeg/ffprobe: the same binaries the workers use) in a folder. */
function runLines(label: string, round: number, lines: string[][], cwd: string) {
  for (const [program, ...args] of lines) {
    const bin = program === 'ffmpeg' ? tools.ffmpeg() : program === 'ffprobe' ? tools.ffprobe() : program!
    try {
      execFileSync(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * MB })
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? '')
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ')
      refuse(`${program} failed in ${roundName(round)} (${label}): ${stderr || (e as Error).message}`)
    }
  }
}

type Shape = { width: number; height: number; hasAudio: boolean; duration: number }
/** The source's shape from a plain ffprobe, to check it is what the command lines are written for. */
function shapeOf(file: string): Shape {
  const out = execFileSync(tools.ffprobe(), [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ])
  const j = JSON.parse(out.toString()) as {
    streams: { codec_type: string; width?: number; height?: number }[]
    format: { duration?: string }
  }
  const v = j.streams.find((s) => s.codec_type === 'video')
  return {
    width: v?.width ?? 0,
    height: v?.height ?? 0,
    hasAudio: j.streams.some((s) => s.codec_type === 'audio'),
    duration: Number(j.format.duration ?? 0),
  }
}
function expectShape(file: string, width: number, height: number) {
  const s = shapeOf(file)
  check(
    s.width === width && s.height === height && s.hasAudio && s.duration > 0,
    `${path.basename(file)} is ${s.width}×${s.height}${s.hasAudio ? '' : ' without audio'}: the plain command lines are written for ${width}×${height} with audio`,
  )
  return s
}
/** Every rendition has a playlist with segments; plus whatever else the side must have made. */
function expectOutputs(label: string, round: number, dir: string, rungs: string[], more: string[] = []) {
  for (const r of rungs) {
    const list = path.join(dir, 'hls', r, 'index.m3u8')
    const segs = fs.existsSync(list)
      ? fs
          .readFileSync(list, 'utf8')
          .split('\n')
          .filter((l) => l.endsWith('.ts'))
      : []
    check(
      segs.length > 0 && segs.every((s) => fs.statSync(path.join(dir, 'hls', r, s)).size > 0),
      `no ${r} rendition in ${roundName(round)} (${label})`,
    )
  }
  for (const f of more)
    check(
      fs.existsSync(path.join(dir, f)) && fs.statSync(path.join(dir, f)).size > 0,
      `no ${f} in ${roundName(round)} (${label})`,
    )
}

const needVideo = PARTS.has('pipeline') || PARTS.has('ladder')
let clip = path.join(FIXTURES, 'bench-60s-720p.mp4')
const ffmpegGen = (args: string[]) =>
  execFileSync(tools.ffmpeg(), ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' })
if (needVideo) {
  if (CLIP_SECONDS === 60) await generateFixtures({ big: true })
  else {
    // The fixture's recipe, at another length.
    clip = path.join(work, `clip-${CLIP_SECONDS}s-720p.mp4`)
    ffmpegGen(
      `-f lavfi -i testsrc2=size=1280x720:rate=30:duration=${CLIP_SECONDS} -f lavfi -i sine=frequency=440:duration=${CLIP_SECONDS} -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -shortest ${clip}`.split(
        ' ',
      ),
    )
  }
}
const clipShape = needVideo ? expectShape(clip, 1280, 720) : null
const CLIP_RUNGS = ['360p', '540p', '720p']
const CAMERA_RUNGS = ['360p', '540p', '720p', '1080p']

// A camera-like source: 1080p with moving grain at a phone's bitrate (High profile, ~16 Mbit/s).
// Decoding it costs what real uploads cost; the synthetic test pattern above decodes almost free.
const camera = path.join(work, 'camera-1080p.mp4')
if (PARTS.has('ladder')) {
  ffmpegGen(
    `-f lavfi -i testsrc2=size=1920x1080:rate=30:duration=${CAMERA_SECONDS},noise=alls=25:allf=t+u -f lavfi -i sine=duration=${CAMERA_SECONDS} -c:v libx264 -preset veryfast -profile:v high -b:v 16M -pix_fmt yuv420p -c:a aac -shortest ${camera}`.split(
      ' ',
    ),
  )
  expectShape(camera, 1920, 1080)
}

const platform = await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })
const owner = await prisma.user.findUniqueOrThrow({ where: { phone: '13800000033' } })

async function ourPipeline(round: number) {
  const label = 'video pipeline, ours'
  const resourceId = `benchres${round}${randomBytes(4).toString('hex')}`
  const fileId = `benchfile${round}${randomBytes(4).toString('hex')}`
  const key = objectKeys.original({ platformId: platform.id, resourceId, fileId })
  await storage.put(key, fs.createReadStream(clip))
  await prisma.resource.create({ data: { id: resourceId, platformId: platform.id, ownerId: owner.id, title: 'bench' } })
  await prisma.resourceFile.create({
    data: {
      id: fileId,
      resourceId,
      platformId: platform.id,
      originalName: 'bench.mp4',
      size: fs.statSync(clip).size,
      storageKey: key,
      status: 'PROCESSING',
    },
  })
  await prisma.processingStep.create({ data: { fileId, name: 'probe' } })
  const ctx = { attempt: 1, maxAttempts: 1, signal: new AbortController().signal }
  const t = await seconds(async () => {
    await runMediaStep({ fileId, step: 'probe', run: 1 }, ctx)
    await runMediaStep({ fileId, step: 'transcode', run: 1 }, ctx)
    await runMediaStep({ fileId, step: 'poster', run: 1 }, ctx)
  })
  const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId }, include: { derivatives: true } })
  check(f.status === 'READY', `the file ended ${f.status} (${f.errorKey ?? ''}) in ${roundName(round)} (${label})`)
  const names = f.derivatives.map((d) => d.name).sort()
  const hls = f.derivatives.find((d) => d.name === 'hls')?.meta as { variants?: { name: string }[] } | undefined
  check(
    ['hls', 'mp4', 'poster', 'storyboard'].every((n) => names.includes(n)) &&
      (hls?.variants ?? []).map((v) => v.name).join() === CLIP_RUNGS.join(),
    `the pipeline made ${names.join(', ')} with renditions ${(hls?.variants ?? []).map((v) => v.name).join('/')}, not the bare baseline's outputs, in ${roundName(round)} (${label})`,
  )
  return t
}

async function bareFfmpeg(round: number) {
  const label = 'video pipeline, bare ffmpeg'
  const out = fs.mkdtempSync(path.join(work, 'bare-'))
  const lines = commandLines(BARE_PIPELINE_720P, {
    in: sabotaged(label, round) ? path.join(work, 'missing-selftest.mp4') : clip,
    interval: String(Math.max(1, Math.ceil(clipShape!.duration / 120))),
    poster_at: Math.min(3, clipShape!.duration * 0.1).toFixed(2),
  })
  const t = await seconds(async () => {
    for (const r of CLIP_RUNGS) fs.mkdirSync(path.join(out, 'hls', r), { recursive: true })
    fs.mkdirSync(path.join(out, 'storyboard'))
    runLines(label, round, lines, out)
  })
  expectOutputs(label, round, out, CLIP_RUNGS, ['fallback.mp4', 'poster.jpg', 'storyboard/sheet-001.jpg'])
  fs.rmSync(out, { recursive: true, force: true })
  return t
}

async function ladderOnePass(source: string, rungs: string[], label: string, round: number) {
  const out = fs.mkdtempSync(path.join(work, 'one-'))
  const p = describeAv(await ffprobe(source), 'mp4')
  const { args, rungs: ours } = transcodeArgs(source, p, out, { storyboard: false })
  check(
    ours.map((r) => r.name).join() === rungs.join(),
    `our ladder for ${path.basename(source)} is ${ours.map((r) => r.name).join('/')}, the baseline's ${rungs.join('/')}`,
  )
  await prepareOutputDirs(out, ours)
  const t = await seconds(async () => runLines(label, round, [[tools.ffmpeg(), ...args]], out))
  expectOutputs(label, round, out, rungs)
  fs.rmSync(out, { recursive: true, force: true })
  return t
}
async function ladderPassPerRung(source: string, rungs: string[], label: string, round: number) {
  const out = fs.mkdtempSync(path.join(work, 'per-'))
  for (const r of rungs) fs.mkdirSync(path.join(out, 'hls', r), { recursive: true })
  const lines = rungs.flatMap((r) => commandLines(PER_RUNG[r]!, { in: source }))
  const t = await seconds(async () => runLines(label, round, lines, out))
  expectOutputs(label, round, out, rungs)
  fs.rmSync(out, { recursive: true, force: true })
  return t
}

const sides: Record<string, (round: number) => Promise<number>> = {}
if (PARTS.has('pipeline')) Object.assign(sides, { bare: bareFfmpeg, ours: ourPipeline })
if (PARTS.has('ladder'))
  Object.assign(sides, {
    perRung: (r: number) => ladderPassPerRung(clip, CLIP_RUNGS, 'ladder 720p, pass per rung', r),
    onePass: (r: number) => ladderOnePass(clip, CLIP_RUNGS, 'ladder 720p, one decode', r),
    perRungCam: (r: number) => ladderPassPerRung(camera, CAMERA_RUNGS, 'ladder 1080p camera, pass per rung', r),
    onePassCam: (r: number) => ladderOnePass(camera, CAMERA_RUNGS, 'ladder 1080p camera, one decode', r),
  })
const video: Record<string, number[]> = Object.keys(sides).length ? await alternatingRounds(VIDEO_ROUNDS, sides) : {}
const side = (k: string) => video[k] ?? []
const [bare, ours, perRung, onePass, perRungCam, onePassCam] = [
  side('bare'),
  side('ours'),
  side('perRung'),
  side('onePass'),
  side('perRungCam'),
  side('onePassCam'),
]

// --- 3. peak worker memory on a 1 GB video ------------------------------------------------------
let peakWorkerKb = 0
let peakToolsKb = 0
let toolSamples = 0
let bigSize = 0
let bigSeconds = 0
if (PARTS.has('memory')) {
  const big = path.join(work, 'big-1gb.mov')
  // Motion-JPEG of a grainy picture at top quality: over 1 GB in under a minute of footage.
  ffmpegGen(
    `-f lavfi -i testsrc2=size=1920x1080:rate=30:duration=${BIG_SECONDS},noise=alls=40:allf=t+u -f lavfi -i sine=duration=${BIG_SECONDS} -c:v mjpeg -q:v 1 -pix_fmt yuvj420p -c:a pcm_s16le ${big}`.split(
      ' ',
    ),
  )
  bigSize = fs.statSync(big).size
  const started = await startUpload(teacher, 'liling', 'big-1gb.mov', bigSize)
  check(started.ok && started.fileId, `starting the big upload answered ${started.status} (${started.error ?? ''})`)
  const up = await tusUpload(
    teacher,
    fs.createReadStream(big),
    bigSize,
    { fileId: started.fileId!, resourceId: started.resourceId!, filename: 'big-1gb.mov' },
    { chunkSize: 64 * MB },
  )
  check(up.ok, () => `the big upload failed: ${JSON.stringify(up).slice(0, 300)}`)
  const worker = ownChild(
    spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, WORKER_CONCURRENCY: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  )
  let workerErr = ''
  worker.stderr!.on('data', (d: Buffer) => (workerErr = (workerErr + d).slice(-2000)))
  const readPeak = () => {
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
        toolSamples++
      }
    } catch {
      /* between samples */
    }
  }
  const sample = setInterval(readPeak, 200)
  const { queue } = await import('../../workers/queue.ts')
  const limitMs = Math.max(2 * 60_000, BIG_SECONDS * 20_000)
  const bigStart = performance.now()
  for (;;) {
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })
    if (!['UPLOADING', 'PROCESSING'].includes(f.status)) {
      check(f.status === 'READY', `the big video ended ${f.status} (${f.errorKey})`)
      break
    }
    check(
      worker.exitCode === null,
      () => `the worker exited (${worker.exitCode}) before the video was processed: ${workerErr}`,
    )
    // A job that used up its attempts leaves the file PROCESSING for good: say so now, not at the time limit.
    const failed = (await queue.getFailed(0, 500)).find(
      (j) => (j.data as { fileId?: string }).fileId === started.fileId,
    )
    check(
      !failed,
      () => `the worker's ${failed!.id} job failed: ${failed!.failedReason.trim().split('\n').slice(-1)[0]}`,
    )
    check(performance.now() - bigStart < limitMs, `the big video took over ${limitMs / 60_000} minutes`)
    await new Promise((r) => setTimeout(r, 500))
  }
  bigSeconds = (performance.now() - bigStart) / 1000
  clearInterval(sample)
  // VmHWM is the process's high-water mark: one read now covers the whole run.
  readPeak()
  check(peakWorkerKb > 0, "the worker's peak memory could not be read from /proc")
  worker.kill('SIGTERM')
}

// --- report (only a valid run gets here) -----------------------------------------------------------
const ratioUpload = PARTS.has('upload') ? ratio(tusMBps, putMBps, 'upload MB/s') : NaN
const ratioPipeline = PARTS.has('pipeline') ? ratio(median(ours), median(bare), 'video pipeline seconds') : NaN
const speedup = PARTS.has('ladder') ? ratio(median(perRung), median(onePass), 'ladder 720p seconds') : NaN
const speedupCam = PARTS.has('ladder') ? ratio(median(perRungCam), median(onePassCam), 'ladder 1080p seconds') : NaN
const peakMb = peakWorkerKb / 1024
const rows: { part: string; cells: string[] }[] = [
  { part: '', cells: ['measure', 'ours', 'baseline', 'ratio', 'target'] },
  {
    part: 'upload',
    cells: [
      `${UPLOAD_MB} MB upload (MB/s)`,
      tusMBps.toFixed(0),
      `PUT ${putMBps.toFixed(0)}`,
      ratioUpload.toFixed(2),
      ratioUpload >= 0.8 ? '≥ 0.8 ✔' : '≥ 0.8 ✘',
    ],
  },
  {
    part: 'pipeline',
    cells: [
      `video pipeline, ${clipShape?.duration.toFixed(0)} s 720p (s)`,
      median0(ours).toFixed(1),
      `bare ${median0(bare).toFixed(1)}`,
      ratioPipeline.toFixed(2),
      ratioPipeline <= 1.15 ? '≤ 1.15 ✔' : '≤ 1.15 ✘',
    ],
  },
  {
    part: 'ladder',
    cells: [
      'ladder, 720p test pattern: one decode vs per rung (s)',
      median0(onePass).toFixed(1),
      median0(perRung).toFixed(1),
      `${speedup.toFixed(2)}× faster`,
      'reported',
    ],
  },
  {
    part: 'ladder',
    cells: [
      `ladder, 1080p camera-like ${CAMERA_SECONDS} s: one decode vs per rung (s)`,
      median0(onePassCam).toFixed(1),
      median0(perRungCam).toFixed(1),
      `${speedupCam.toFixed(2)}× faster`,
      speedupCam >= 1.4 ? '≥ 1.4× ✔' : '≥ 1.4× ✘',
    ],
  },
  {
    part: 'memory',
    cells: [
      `worker peak RSS, ${(bigSize / MB).toFixed(0)} MB video (MB)`,
      peakMb.toFixed(0),
      '400',
      (peakMb / 400).toFixed(2),
      peakMb < 400 ? '< 400 MB ✔' : '< 400 MB ✘',
    ],
  },
]
console.log(
  `\nIngest benchmark: medians of ${ROUNDS} upload rounds and ${VIDEO_ROUNDS} video rounds (alternating order); ${
    clipShape
      ? `clip ${clipShape.width}×${clipShape.height}, ${clipShape.duration.toFixed(0)} s, ladder ${CLIP_RUNGS.join('/')}`
      : 'no clip'
  }; every output checked${QUICK ? '; QUICK MODE: a smoke run, not a result' : ''}\n`,
)
for (const r of rows.filter((r) => !r.part || PARTS.has(r.part))) console.log(tableRow(r.cells, [60, 10, 14, 14, 14]))
if (PARTS.has('memory'))
  console.log(
    `\n(the ${(bigSize / MB).toFixed(0)} MB video was processed in ${bigSeconds.toFixed(0)} s; ffmpeg's own peak RSS ${
      toolSamples ? `${(peakToolsKb / 1024).toFixed(0)} MB` : 'not sampled (it ran between samples)'
    }, outside the worker)`,
  )
const file = writeResults(ROOT, 'ingest', {
  upload: { sizeMB: UPLOAD_MB, tusSeconds: tusTimes, putSeconds: putTimes, tusMBps, putMBps, ratio: ratioUpload },
  pipeline: { clipSeconds: clipShape?.duration ?? null, ours, bare, ratio: ratioPipeline },
  ladder: {
    testPattern720p: { onePass, perRung, speedup },
    camera1080p: { seconds: CAMERA_SECONDS, onePass: onePassCam, perRung: perRungCam, speedup: speedupCam },
  },
  memory: {
    videoBytes: bigSize,
    peakWorkerMB: peakMb,
    peakFfmpegMB: toolSamples ? peakToolsKb / 1024 : null,
    seconds: bigSeconds,
  },
  bareCommands: { pipeline720p: BARE_PIPELINE_720P.trim(), perRung: PER_RUNG },
})
console.log(`written ${file}`)

server.close()
await prisma.$disconnect()
process.exit(0)
