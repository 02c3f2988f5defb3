/**
 * Steps `transcode` and `poster` for video.
 *
 * transcode: ONE ffmpeg run decodes the source once and feeds every rung of the HLS ladder
 * (360p/540p/720p/1080p, never above the source; H.264 Main + AAC; keyframes every 2 s so
 * that 4 s segments line up across rungs) and the storyboard sprite sheets. Then the MP4
 * fallback is remuxed (no re-encode) from the best rung up to 720p with faststart, and our own
 * code writes the master playlist from the real segment sizes.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { run, tools } from './tools.ts'
import { timeout, type Probe, type StepInput, type StepOutput } from './types.ts'

export type Rung = { name: string; short: number; videoKbps: number; audioKbps: number; level: string; codec: string }

const RUNGS: Rung[] = [
  { name: '360p', short: 360, videoKbps: 800, audioKbps: 96, level: '3.0', codec: 'avc1.4d401e' },
  { name: '540p', short: 540, videoKbps: 1400, audioKbps: 128, level: '3.1', codec: 'avc1.4d401f' },
  { name: '720p', short: 720, videoKbps: 2800, audioKbps: 128, level: '3.1', codec: 'avc1.4d401f' },
  { name: '1080p', short: 1080, videoKbps: 5000, audioKbps: 160, level: '4.2', codec: 'avc1.4d402a' },
]

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2)

/** The rungs for a source: every standard rung up to the source's short side, at least one. */
export function ladderFor(width: number, height: number): Rung[] {
  const short = Math.min(width, height)
  const rungs = RUNGS.filter((r) => r.short <= short)
  return rungs.length ? rungs : [{ ...RUNGS[0]!, name: `${even(short)}p`, short: even(short) }]
}

export function rungSize(width: number, height: number, r: Rung) {
  return width >= height
    ? { w: even((width * r.short) / height), h: r.short }
    : { w: r.short, h: even((height * r.short) / width) }
}

export type Storyboard = { interval: number; cols: number; rows: number; tw: number; th: number; count: number }

export function storyboardFor(p: Probe): Storyboard {
  const duration = p.durationSec ?? 1
  const interval = Math.max(1, Math.ceil(duration / 120))
  const w = p.width ?? 16
  const h = p.height ?? 9
  const [tw, th] = w >= h ? [160, even((160 * h) / w)] : [even((160 * w) / h), 160]
  return { interval, cols: 10, rows: 10, tw, th, count: Math.max(1, Math.ceil(duration / interval)) }
}

const HLS_SEGMENT_SECONDS = 4
const KEYFRAME_SECONDS = 2

/**
 * The single-decode ffmpeg command. Exported so the benchmark can run exactly the same
 * command bare and compare.
 */
export function transcodeArgs(
  source: string,
  p: Probe,
  out: string,
  opts: { rungs?: Rung[]; storyboard?: boolean } = {},
) {
  const rungs = opts.rungs ?? ladderFor(p.width!, p.height!)
  const sb = storyboardFor(p)
  const withStoryboard = opts.storyboard ?? true
  const branches = rungs.length + (withStoryboard ? 1 : 0)
  const filters = [
    `[0:v]format=yuv420p,split=${branches}${rungs.map((_, i) => `[s${i}]`).join('')}${withStoryboard ? '[sb]' : ''}`,
  ]
  rungs.forEach((r, i) => {
    const { w, h } = rungSize(p.width!, p.height!, r)
    filters.push(`[s${i}]scale=${w}:${h}:flags=bicubic[v${i}]`)
  })
  if (withStoryboard) filters.push(`[sb]fps=1/${sb.interval},scale=${sb.tw}:${sb.th},tile=${sb.cols}x${sb.rows}[sbo]`)
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-i',
    source,
    '-filter_complex',
    filters.join(';'),
  ]
  rungs.forEach((r, i) => {
    args.push('-map', `[v${i}]`)
    if (p.hasAudio) args.push('-map', '0:a:0', '-c:a', 'aac', '-b:a', `${r.audioKbps}k`, '-ac', '2')
    args.push(
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'main',
      '-level:v',
      r.level,
      '-b:v',
      `${r.videoKbps}k`,
      '-maxrate',
      `${Math.round(r.videoKbps * 1.5)}k`,
      '-bufsize',
      `${r.videoKbps * 2}k`,
      '-force_key_frames',
      `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`,
      '-sc_threshold',
      '0',
      '-f',
      'hls',
      '-hls_time',
      String(HLS_SEGMENT_SECONDS),
      '-hls_playlist_type',
      'vod',
      '-hls_list_size',
      '0',
      '-hls_flags',
      'independent_segments',
      '-hls_segment_filename',
      path.join(out, 'hls', r.name, 'seg_%04d.ts'),
      path.join(out, 'hls', r.name, 'index.m3u8'),
    )
  })
  if (withStoryboard)
    args.push(
      '-map',
      '[sbo]',
      '-fps_mode',
      'passthrough',
      '-c:v',
      'mjpeg',
      '-q:v',
      '5',
      '-f',
      'image2',
      path.join(out, 'storyboard', 'sheet-%03d.jpg'),
    )
  return { args, rungs, storyboard: sb }
}

export async function prepareOutputDirs(out: string, rungs: Rung[]) {
  for (const r of rungs) await fs.mkdir(path.join(out, 'hls', r.name), { recursive: true })
  await fs.mkdir(path.join(out, 'storyboard'), { recursive: true })
}

/** Reads a media playlist: its segments and their durations. */
export async function readPlaylist(file: string) {
  const text = await fs.readFile(file, 'utf8')
  const segments: { uri: string; duration: number }[] = []
  let pending = 0
  for (const line of text.split('\n')) {
    const m = /^#EXTINF:([\d.]+)/.exec(line)
    if (m) pending = Number(m[1])
    else if (line && !line.startsWith('#')) segments.push({ uri: line.trim(), duration: pending })
  }
  return segments
}

/** The master playlist, with bandwidths measured from the segments actually written. */
export async function writeMasterPlaylist(hlsDir: string, p: Probe, rungs: Rung[]) {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS']
  const variants = []
  for (const r of rungs) {
    const segs = await readPlaylist(path.join(hlsDir, r.name, 'index.m3u8'))
    let bits = 0
    let seconds = 0
    let peak = 0
    for (const s of segs) {
      const size = (await fs.stat(path.join(hlsDir, r.name, s.uri))).size * 8
      bits += size
      seconds += s.duration
      if (s.duration > 0.5) peak = Math.max(peak, size / s.duration)
    }
    const avg = Math.round(bits / Math.max(seconds, 0.001))
    const { w, h } = rungSize(p.width!, p.height!, r)
    const codecs = p.hasAudio ? `${r.codec},mp4a.40.2` : r.codec
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${Math.round(Math.max(peak, avg))},AVERAGE-BANDWIDTH=${avg},RESOLUTION=${w}x${h}${p.fps ? `,FRAME-RATE=${p.fps.toFixed(3)}` : ''},CODECS="${codecs}"`,
      `${r.name}/index.m3u8`,
    )
    variants.push({ name: r.name, width: w, height: h, bandwidth: avg, segments: segs.length })
  }
  await fs.writeFile(path.join(hlsDir, 'master.m3u8'), lines.join('\n') + '\n')
  return variants
}

export async function writeStoryboardVtt(dir: string, p: Probe, sb: Storyboard) {
  const sheets = (await fs.readdir(dir)).filter((f) => f.endsWith('.jpg')).sort()
  const perSheet = sb.cols * sb.rows
  const count = Math.min(sb.count, sheets.length * perSheet)
  const stamp = (t: number) => new Date(Math.round(t * 1000)).toISOString().slice(11, 23)
  const cues = ['WEBVTT', '']
  for (let i = 0; i < count; i++) {
    const start = i * sb.interval
    const end = Math.min((i + 1) * sb.interval, p.durationSec ?? (i + 1) * sb.interval)
    if (end <= start) break
    const pos = i % perSheet
    cues.push(
      `${stamp(start)} --> ${stamp(end)}`,
      `${sheets[Math.floor(i / perSheet)]}#xywh=${(pos % sb.cols) * sb.tw},${Math.floor(pos / sb.cols) * sb.th},${sb.tw},${sb.th}`,
      '',
    )
  }
  await fs.writeFile(path.join(dir, 'storyboard.vtt'), cues.join('\n'))
  return { sheets: sheets.length, thumbnails: count }
}

/** The MP4 fallback: the best rung up to 720p, remuxed (not re-encoded), moov first. */
export function fallbackArgs(out: string, rungs: Rung[]) {
  const rung = [...rungs].reverse().find((r) => r.short <= 720) ?? rungs[0]!
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-i',
    path.join(out, 'hls', rung.name, 'index.m3u8'),
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    path.join(out, 'fallback.mp4'),
  ]
}

export async function transcodeStep({ file, source, dir, signal }: StepInput): Promise<StepOutput> {
  const p = file.probe!
  const limit = timeout(120_000 + (p.durationSec ?? 60) * 15_000)
  const { args, rungs, storyboard } = transcodeArgs(source, p, dir)
  await prepareOutputDirs(dir, rungs)
  await run(tools.ffmpeg(), args, { cwd: dir, signal, timeoutMs: limit })
  await run(tools.ffmpeg(), fallbackArgs(dir, rungs), { cwd: dir, signal, timeoutMs: limit })
  const variants = await writeMasterPlaylist(path.join(dir, 'hls'), p, rungs)
  const sb = await writeStoryboardVtt(path.join(dir, 'storyboard'), p, storyboard)
  return {
    outputs: [
      { name: 'hls', path: path.join(dir, 'hls'), isDir: true, meta: { master: 'master.m3u8', variants } },
      {
        name: 'storyboard',
        path: path.join(dir, 'storyboard'),
        isDir: true,
        meta: { vtt: 'storyboard.vtt', ...sb, ...storyboard },
      },
      { name: 'mp4', path: path.join(dir, 'fallback.mp4') },
    ],
  }
}

export function posterArgs(source: string, p: Probe, out: string) {
  const at = Math.min(3, (p.durationSec ?? 0) * 0.1)
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-ss',
    at.toFixed(2),
    '-i',
    source,
    '-frames:v',
    '1',
    '-vf',
    "scale='min(1280,iw)':-2",
    '-q:v',
    '3',
    out,
  ]
}

export async function posterStep({ file, source, dir, signal }: StepInput): Promise<StepOutput> {
  const out = path.join(dir, 'poster.jpg')
  await run(tools.ffmpeg(), posterArgs(source, file.probe!, out), { cwd: dir, signal, timeoutMs: timeout(60_000) })
  return { outputs: [{ name: 'poster', path: out }] }
}
