/** Step `subtitle`: an SRT or WebVTT file, checked cue by cue and stored as WebVTT. */
import fs from 'node:fs/promises'
import path from 'node:path'
import { MediaRejection, type StepInput, type StepOutput } from './types.ts'

export type Cue = { start: number; end: number; text: string }

/** Teachers' subtitle files are often GBK/GB18030 from Windows tools: accept those too. */
export function decodeText(buf: Buffer) {
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return new TextDecoder('gb18030').decode(body)
  }
}

const TIME = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})$/

function seconds(s: string): number | null {
  const m = TIME.exec(s.trim())
  if (!m) return null
  const [, h = '0', min, sec, ms] = m
  if (Number(min) > 59 || Number(sec) > 59) return null
  return Number(h) * 3600 + Number(min) * 60 + Number(sec) + Number(ms!.padEnd(3, '0')) / 1000
}

/** Parses SRT or WebVTT; a cue with broken timings is refused with its line number. */
export function parseSubtitle(buf: Buffer): Cue[] {
  const lines = decodeText(buf).replace(/\r\n?/g, '\n').split('\n')
  const cues: Cue[] = []
  let i = 0
  if (/^WEBVTT/.test(lines[0] ?? '')) {
    i = 1
    while (i < lines.length && lines[i]!.trim() !== '') i++ // header block
  }
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++
    if (i >= lines.length) break
    // NOTE/STYLE blocks (WebVTT) are skipped whole.
    if (/^(NOTE|STYLE|REGION)\b/.test(lines[i]!)) {
      while (i < lines.length && lines[i]!.trim() !== '') i++
      continue
    }
    let timingLine = i
    if (!lines[i]!.includes('-->')) timingLine = i + 1 // a cue number or identifier first
    const timing = lines[timingLine] ?? ''
    const m = /^\s*(\S+)\s*-->\s*(\S+)/.exec(timing)
    const start = m ? seconds(m[1]!) : null
    const end = m ? seconds(m[2]!) : null
    if (start === null || end === null || end <= start)
      throw new MediaRejection('media.error.badSubtitle', `line ${timingLine + 1}: ${timing.slice(0, 80)}`)
    i = timingLine + 1
    const text: string[] = []
    while (i < lines.length && lines[i]!.trim() !== '') text.push(lines[i++]!)
    cues.push({ start, end, text: text.join('\n') })
  }
  if (!cues.length) throw new MediaRejection('media.error.badSubtitle', 'no cues')
  return cues
}

const stamp = (t: number) => {
  const ms = Math.round(t * 1000)
  const h = Math.floor(ms / 3600000)
  const m = Math.floor((ms % 3600000) / 60000)
  const s = Math.floor((ms % 60000) / 1000)
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`
}

export function toWebVtt(cues: Cue[]) {
  // Cue text may not contain "-->" in WebVTT; markup other than the basic tags is dropped.
  const clean = (t: string) => t.replace(/-->/g, '→').replace(/<(?!\/?(b|i|u|v|c|ruby|rt)\b)[^>]*>/g, '')
  return `WEBVTT\n\n${cues.map((c, n) => `${n + 1}\n${stamp(c.start)} --> ${stamp(c.end)}\n${clean(c.text)}`).join('\n\n')}\n`
}

export async function subtitleStep({ source, dir }: StepInput): Promise<StepOutput> {
  const cues = parseSubtitle(await fs.readFile(source))
  const out = path.join(dir, 'subtitle.vtt')
  await fs.writeFile(out, toWebVtt(cues))
  return {
    outputs: [{ name: 'subtitle', path: out, meta: { cues: cues.length } }],
    fileUpdate: {
      textContent: cues
        .map((c) => c.text.replace(/<[^>]*>/g, ''))
        .join('\n')
        .slice(0, 200_000),
    },
  }
}
