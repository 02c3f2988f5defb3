/** Step `probe`: what the file really is, and whether we can take it. */
import fs from 'node:fs/promises'
import sharp from 'sharp'
import { env } from '../../app/lib/env.server.ts'
import { sniff, SNIFF_BYTES } from '../../app/services/media/sniff.server.ts'
import { run, tools, ToolError } from './tools.ts'
import { looksLikeBomb, officeFormat, readZipDirectory, ZipError } from './zip.ts'
import { parseSubtitle } from './subtitle.ts'
import { MediaRejection, timeout, type Probe, type StepInput, type StepOutput } from './types.ts'

type FfStream = {
  codec_type?: string
  codec_name?: string
  width?: number
  height?: number
  avg_frame_rate?: string
  duration?: string
  disposition?: { attached_pic?: number }
  tags?: { rotate?: string }
  side_data_list?: { rotation?: number }[]
}
type FfProbe = { streams?: FfStream[]; format?: { duration?: string; format_name?: string } }

export async function ffprobe(source: string, signal?: AbortSignal): Promise<FfProbe> {
  try {
    const { stdout } = await run(
      tools.ffprobe(),
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', source],
      { signal, timeoutMs: timeout(60_000) },
    )
    return JSON.parse(stdout) as FfProbe
  } catch (e) {
    if (e instanceof ToolError && !e.timedOut) throw new MediaRejection('media.error.corrupt', e.stderr)
    throw e
  }
}

const fraction = (s?: string) => {
  const [n, d] = (s ?? '').split('/').map(Number)
  return n && d ? Math.round((n / d) * 100) / 100 : undefined
}

export function describeAv(p: FfProbe, format: string): Probe {
  const streams = p.streams ?? []
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)
  const a = streams.find((s) => s.codec_type === 'audio')
  const duration = Number(p.format?.duration ?? v?.duration ?? a?.duration)
  let width = v?.width
  let height = v?.height
  const rotation = Math.abs(
    Number(v?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? v?.tags?.rotate ?? 0),
  )
  if (rotation === 90 || rotation === 270) [width, height] = [height, width]
  return {
    format,
    durationSec: Number.isFinite(duration) ? duration : undefined,
    width,
    height,
    fps: fraction(v?.avg_frame_rate),
    videoCodec: v?.codec_name,
    audioCodec: a?.codec_name,
    hasAudio: !!a,
  }
}

/** Names inside an OLE2 compound file (DOC/PPT/XLS/WPS, or an encrypted OOXML package). */
async function oleFormat(source: string) {
  const fh = await fs.open(source, 'r')
  try {
    const buf = Buffer.alloc(2 * 1024 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    const text = buf.subarray(0, bytesRead).toString('utf16le') + buf.subarray(1, bytesRead).toString('utf16le')
    if (text.includes('EncryptedPackage')) return 'encrypted'
    if (text.includes('PowerPoint Document')) return 'ppt'
    if (text.includes('Book')) return 'xls' // "Workbook" (BIFF8) or "Book" (BIFF5)
    return 'doc'
  } finally {
    await fh.close()
  }
}

export async function pdfPages(pdf: string, signal?: AbortSignal) {
  try {
    const { stdout } = await run(tools.pdfinfo(), [pdf], { signal, timeoutMs: timeout(60_000) })
    const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? 0)
    if (!pages) throw new MediaRejection('media.error.corrupt', 'no pages')
    return pages
  } catch (e) {
    if (e instanceof ToolError && !e.timedOut) {
      if (/password/i.test(e.stderr)) throw new MediaRejection('media.error.encrypted', e.stderr)
      throw new MediaRejection('media.error.corrupt', e.stderr)
    }
    throw e
  }
}

export async function probeStep({ source, signal }: StepInput): Promise<StepOutput> {
  const st = await fs.stat(source)
  if (st.size === 0) throw new MediaRejection('media.error.empty')
  const fh = await fs.open(source, 'r')
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, st.size))
  await fh.read(head, 0, head.length, 0).finally(() => fh.close())
  const s = sniff(head)
  if (!s) throw new MediaRejection('media.error.unsupported')
  const e = env()

  if (s.kind === 'VIDEO' || s.kind === 'AUDIO') {
    const probe = describeAv(await ffprobe(source, signal), s.format)
    if (s.kind === 'VIDEO' && !probe.videoCodec) throw new MediaRejection('media.error.noVideoStream')
    if (s.kind === 'AUDIO' && !probe.audioCodec) throw new MediaRejection('media.error.corrupt', 'no audio stream')
    if (!probe.durationSec || probe.durationSec <= 0) throw new MediaRejection('media.error.corrupt', 'no duration')
    if (probe.durationSec > e.VIDEO_MAX_SECONDS)
      throw new MediaRejection('media.error.tooLong', `${probe.durationSec}s`)
    if (s.kind === 'VIDEO' && (!probe.width || !probe.height))
      throw new MediaRejection('media.error.corrupt', 'no dimensions')
    return { fileUpdate: { kind: s.kind, mimeType: s.mime, probe } }
  }

  if (s.kind === 'DOCUMENT') {
    if (s.format === 'pdf')
      return {
        fileUpdate: {
          kind: 'DOCUMENT',
          mimeType: s.mime,
          probe: { format: 'pdf', pages: await pdfPages(source, signal) },
        },
      }
    if (s.format === 'zip') {
      let entries
      try {
        entries = await readZipDirectory(source)
      } catch (err) {
        if (err instanceof ZipError) throw new MediaRejection('media.error.corrupt', err.message)
        throw err
      }
      if (looksLikeBomb(entries, e.DOCUMENT_MAX_UNPACKED_MB * 1024 * 1024))
        throw new MediaRejection('media.error.zipBomb')
      const office = officeFormat(entries)
      if (!office) throw new MediaRejection('media.error.unsupported', 'zip without an office document')
      const mime = {
        docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }[office]
      return { fileUpdate: { kind: 'DOCUMENT', mimeType: mime, probe: { format: office, officeFormat: office } } }
    }
    const ole = await oleFormat(source)
    if (ole === 'encrypted') throw new MediaRejection('media.error.encrypted')
    return {
      fileUpdate: { kind: 'DOCUMENT', mimeType: 'application/octet-stream', probe: { format: ole, officeFormat: ole } },
    }
  }

  if (s.kind === 'IMAGE') {
    let meta
    try {
      // Header only: a "pixel flood" (tiny file, gigantic declared size) is refused before decoding.
      meta = await sharp(source, { limitInputPixels: false }).metadata()
    } catch (err) {
      throw new MediaRejection('media.error.corrupt', String(err))
    }
    const w = meta.autoOrient?.width ?? meta.width
    const h = meta.autoOrient?.height ?? meta.height
    if (!w || !h) throw new MediaRejection('media.error.corrupt', 'no dimensions')
    if (w * h > e.IMAGE_MAX_PIXELS) throw new MediaRejection('media.error.pixelFlood', `${w}×${h}`)
    return { fileUpdate: { kind: 'IMAGE', mimeType: s.mime, probe: { format: s.format, width: w, height: h } } }
  }

  // Subtitles: parse now so that broken timings are reported with the line number at once.
  const cues = parseSubtitle(await fs.readFile(source))
  return {
    fileUpdate: { kind: 'SUBTITLE', mimeType: 'text/vtt', probe: { format: s.format, durationSec: cues.at(-1)?.end } },
  }
}
