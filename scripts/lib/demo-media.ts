/**
 * Lesson media made from text, for the ingest test corpus (test/fixtures/generate.ts) and the
 * demo catalogue (scripts/catalogue/demo-content.ts): LibreOffice turns HTML into DOCX or PDF
 * and flat ODF presentations into PPTX, ffmpeg draws short videos with Chinese text burnt in,
 * and SRT subtitles are written by hand. Text is set in Noto Sans CJK SC (through fontconfig).
 *
 * LibreOffice's start-up is the slow part (seconds), so `officeConvert` converts any number of
 * files in one run.
 */
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

export const CJK_FONT = 'Noto Sans CJK SC'
export const CJK_FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'

const ffmpegPath = () => process.env.FFMPEG_PATH || 'ffmpeg'
const execFileAsync = promisify(execFile)

/** Runs ffmpeg quietly; throws with its error output. */
export function ffmpeg(...args: string[]) {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' })
}

export const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * Converts every input with one LibreOffice run (its own throwaway profile, so runs never share
 * a lock), e.g. `to` = 'docx:MS Word 2007 XML', 'pptx', 'pdf:writer_web_pdf_Export'. Outputs land
 * in `outdir` under the inputs' base names. Asynchronous, so that several runs (and ffmpeg) can
 * work at once.
 */
export async function officeConvert(inputs: string[], to: string, outdir: string) {
  if (!inputs.length) return
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-lo-'))
  try {
    await execFileAsync(process.env.SOFFICE_PATH || 'soffice', [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${profile}`,
      '--convert-to',
      to,
      '--outdir',
      outdir,
      ...inputs,
    ])
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
}

// ── documents ────────────────────────────────────────────────────────────────────────────────

export type DocSection = {
  heading?: string
  paragraphs: string[]
  /** Start the section on a new page (its first paragraph, or its heading, breaks the page). */
  newPage?: boolean
}

/**
 * An HTML document LibreOffice's Writer/Web reads (→ DOCX or PDF): a title, an optional
 * subtitle, then sections. With `styled`, headings get the given colour and a readable size
 * (the demo); without, plain tags (the test corpus, whose expectations are about text).
 */
export function documentHtml(doc: {
  title: string
  h1: string
  h2?: string
  sections: DocSection[]
  styled?: { colour: string }
}) {
  const s = doc.styled
  const css = s
    ? `<style>body{font-family:'${CJK_FONT}',sans-serif;font-size:12pt;line-height:1.6}h1{color:${s.colour};font-size:22pt;margin:0 0 6pt}h2{color:#374151;font-size:14pt;font-weight:normal;margin:0 0 14pt}h3{color:${s.colour};font-size:14pt;margin:16pt 0 4pt;border-bottom:1px solid ${s.colour}}p{margin:0 0 6pt}</style>`
    : ''
  const brk = ' style="page-break-before: always"'
  const body = doc.sections
    .map((sec) => {
      const head = sec.heading ? `<h3${sec.newPage ? brk : ''}>${escapeXml(sec.heading)}</h3>` : ''
      const paras = sec.paragraphs.map(
        (p, i) => `<p${sec.newPage && !sec.heading && i === 0 ? brk : ''}>${escapeXml(p)}</p>`,
      )
      return head + paras.join('\n')
    })
    .join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(doc.title)}</title>${css}</head><body>
<h1>${escapeXml(doc.h1)}</h1>${doc.h2 ? `<h2>${escapeXml(doc.h2)}</h2>` : ''}
${body}
</body></html>`
}

export type Slide = { title: string; lines: string[] }

/**
 * A flat ODF presentation (16:9, 28 × 15.75 cm) LibreOffice Impress reads (→ PPTX). With a
 * `theme`, each slide gets a coloured title band, large type and one paragraph per line; without,
 * two plain text frames per slide (the test corpus).
 */
export function slidesFodp(slides: Slide[], theme?: { colour: string; accent: string; footer: string }) {
  const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"`
  const frame = (x: number, y: number, w: number, h: number, paras: string, style = '') =>
    `<draw:frame${style ? ` draw:style-name="${style}"` : ''} svg:x="${x}cm" svg:y="${y}cm" svg:width="${w}cm" svg:height="${h}cm"><draw:text-box>${paras}</draw:text-box></draw:frame>`
  const p = (text: string, style = '') =>
    `<text:p${style ? ` text:style-name="${style}"` : ''}>${escapeXml(text)}</text:p>`
  const page = (n: number, inner: string) =>
    `<draw:page draw:name="page${n}" draw:master-page-name="Default">${inner}</draw:page>`
  const styles = theme
    ? `<style:style style:name="band" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="${theme.colour}" draw:stroke="none"/></style:style>
<style:style style:name="bar" style:family="graphic"><style:graphic-properties draw:fill="solid" draw:fill-color="${theme.accent}" draw:stroke="none"/></style:style>
<style:style style:name="plain" style:family="graphic"><style:graphic-properties draw:fill="none" draw:stroke="none"/></style:style>
<style:style style:name="PT" style:family="paragraph"><style:text-properties fo:font-size="30pt" fo:font-weight="bold" fo:color="#ffffff" style:font-name-asian="${CJK_FONT}" style:font-weight-asian="bold" style:font-size-asian="30pt"/></style:style>
<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.35cm"/><style:text-properties fo:font-size="24pt" fo:color="#1f2937" style:font-name-asian="${CJK_FONT}" style:font-size-asian="24pt"/></style:style>
<style:style style:name="PF" style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:color="#6b7280" style:font-name-asian="${CJK_FONT}" style:font-size-asian="11pt"/></style:style>`
    : ''
  const pages = slides.map((s, i) =>
    theme
      ? page(
          i + 1,
          `<draw:rect draw:style-name="band" svg:x="0cm" svg:y="0cm" svg:width="28cm" svg:height="3.2cm"/>` +
            `<draw:rect draw:style-name="bar" svg:x="1.2cm" svg:y="4.3cm" svg:width="0.25cm" svg:height="${Math.max(1, s.lines.length) * 1.5}cm"/>` +
            frame(1.2, 0.5, 25.6, 2.2, p(s.title, 'PT'), 'plain') +
            frame(2, 4.1, 24.8, 9.5, s.lines.map((l) => p(l, 'PB')).join(''), 'plain') +
            frame(1.2, 14.3, 25.6, 1, p(`${theme.footer} · ${i + 1} / ${slides.length}`, 'PF'), 'plain'),
        )
      : page(i + 1, frame(1, 1, 24, 3, p(s.title)) + frame(1, 5, 24, 10, p(s.lines.join(' ')))),
  )
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document ${ns} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout>${styles}</office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/></office:master-styles>
<office:body><office:presentation>
${pages.join('\n')}
</office:presentation></office:body></office:document>`
}

// ── subtitles ────────────────────────────────────────────────────────────────────────────────

export type Cue = { start: number; end: number; text: string }

const srtTime = (t: number) => {
  const ms = Math.round(t * 1000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(Math.floor(ms / 3600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`
}

export function srt(cues: Cue[]) {
  return cues.map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text}\n`).join('\n')
}

/** Sentences of a text, for captions: split after Chinese (and Latin) sentence punctuation. */
export function sentences(text: string, maxChars = 22) {
  const out: string[] = []
  for (const part of text.split(/(?<=[。！？；!?;])/)) {
    let s = part.trim()
    // A long sentence is cut after a comma near the limit, so a caption fits one line.
    while ([...s].length > maxChars) {
      const chars = [...s]
      let cut = chars
        .slice(0, maxChars)
        .join('')
        .search(/[，、：,][^，、：,]*$/)
      if (cut < 6) cut = maxChars - 1
      out.push(chars.slice(0, cut + 1).join(''))
      s = chars
        .slice(cut + 1)
        .join('')
        .trim()
    }
    if (s) out.push(s)
  }
  return out
}

// ── video ────────────────────────────────────────────────────────────────────────────────────

export type LessonVideo = {
  width: number
  height: number
  seconds: number
  /** Frames per second (default 25); slides of text look the same at 15 and cost less to process. */
  fps?: number
  /** Background and highlight colours (#rrggbb). */
  colour: string
  accent: string
  /** The small line above the title (type, subject, textbook position). */
  kicker: string
  /** Title lines (already wrapped). */
  title: string[]
  /** Points that appear on the "board" one after the other. */
  points: Cue[]
  /** Captions burnt in at the bottom (leave empty when the video gets an SRT instead). */
  captions: Cue[]
}

/**
 * A short lesson video: a coloured background with the kicker and title, a white board where
 * the points appear one by one, captions at the bottom, a progress bar, and a silent stereo
 * track. Text goes through files (drawtext `textfile`), so no quoting can break the filter.
 */
export async function lessonVideo(out: string, v: LessonVideo) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-video-'))
  try {
    const hex = (c: string) => `0x${c.replace('#', '')}`
    const file = (name: string, text: string) => {
      const p = path.join(dir, name)
      fs.writeFileSync(p, text)
      return p.replace(/[\\:']/g, (ch) => `\\${ch}`)
    }
    const font = `font='${CJK_FONT}'`
    // fontconfig picks the SC face of the collection (a fontfile would open its first face, JP);
    // titles are set heavier with a border in their own colour (the Bold face is another file).
    const bold = `${font}:borderw=${Math.max(1, Math.round(v.height / 540))}:bordercolor=white`
    const W = v.width
    const H = v.height
    const u = H / 540 // sizes below are for 540 lines
    const px = (n: number) => Math.round(n * u)
    const filters: string[] = []
    filters.push(`drawbox=x=0:y=0:w=iw:h=${px(64)}:color=black@0.18:t=fill`)
    filters.push(
      `drawtext=${font}:textfile=${file('kicker.txt', v.kicker)}:fontsize=${px(22)}:fontcolor=white@0.92:x=${px(40)}:y=${px(20)}`,
    )
    v.title.forEach((line, i) =>
      filters.push(
        `drawtext=${bold}:textfile=${file(`title${i}.txt`, line)}:fontsize=${px(40)}:fontcolor=white:x=${px(40)}:y=${px(92 + i * 54)}`,
      ),
    )
    const boardTop = px(92 + v.title.length * 54 + 22)
    const boardBottom = H - px(92)
    filters.push(
      `drawbox=x=${px(40)}:y=${boardTop}:w=${W - px(80)}:h=${boardBottom - boardTop}:color=white@0.94:t=fill`,
      `drawbox=x=${px(40)}:y=${boardTop}:w=${px(8)}:h=${boardBottom - boardTop}:color=${hex(v.accent)}:t=fill`,
    )
    v.points.forEach((p, i) =>
      filters.push(
        `drawtext=${font}:textfile=${file(`point${i}.txt`, p.text)}:fontsize=${px(28)}:fontcolor=0x1f2937:x=${px(72)}:y=${boardTop + px(24 + i * 46)}:enable='gte(t\\,${p.start})'`,
      ),
    )
    v.captions.forEach((c, i) =>
      filters.push(
        `drawtext=${font}:textfile=${file(`cap${i}.txt`, c.text)}:fontsize=${px(26)}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${px(10)}:x=(w-text_w)/2:y=h-${px(62)}:enable='between(t\\,${c.start}\\,${c.end})'`,
      ),
    )
    const script = path.join(dir, 'filter.txt')
    // The progress bar slides in from the left (overlay positions are evaluated every frame).
    fs.writeFileSync(
      script,
      `[0:v]${filters.join(',\n')}[bg];\n[bg][2:v]overlay=x='-w+w*t/${v.seconds}':y=H-h:eval=frame:shortest=1[v]`,
    )
    await execFileAsync(ffmpegPath(), [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${hex(v.colour)}:s=${W}x${H}:r=${v.fps ?? 25}:d=${v.seconds}`,
      '-f',
      'lavfi',
      '-i',
      `anullsrc=r=44100:cl=stereo`,
      '-f',
      'lavfi',
      '-i',
      `color=c=${hex(v.accent)}:s=${W}x${px(6)}:r=${v.fps ?? 25}:d=${v.seconds}`,
      '-filter_complex_script',
      script,
      '-map',
      '[v]',
      '-map',
      '1:a',
      '-t',
      String(v.seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '23',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '48k',
      '-movflags',
      '+faststart',
      '-shortest',
      out,
    ])
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
