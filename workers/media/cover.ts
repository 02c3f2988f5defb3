/**
 * Cover cards: the picture a resource without one (no poster, page or image) shows on its
 * cards, drawn as SVG and rendered to WebP by sharp (librsvg, fonts through fontconfig: the
 * text is set in Noto Sans CJK SC, the same face the pages use). The card carries the title,
 * the type (微课, 课件, …) and the subject and grade, on the subject's colour.
 *
 * What a cover shows is exactly what `coverHash` (storage/keys.ts) hashes: change either, and
 * bump COVER_DESIGN there, so that every cover is drawn again under a new key.
 */
import sharp from 'sharp'
import { translator } from '../../app/lib/i18n/index.ts'
import type { CoverFields } from '../../storage/keys.ts'

export const COVER_WIDTH = 480
export const COVER_HEIGHT = 270
const FONT = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"

/** Two colours per subject (dark → light), and the platform's blue for anything else. */
const PALETTE: Record<string, [string, string]> = {
  MATH: ['#1e40af', '#3b82f6'],
  CHINESE: ['#991b1b', '#e0483e'],
  ENGLISH: ['#5b21b6', '#8b5cf6'],
  PHYSICS: ['#115e59', '#14b8a6'],
  CHEMISTRY: ['#9a3412', '#f97316'],
  BIOLOGY: ['#166534', '#22c55e'],
  HISTORY: ['#78350f', '#d97706'],
  GEOGRAPHY: ['#075985', '#0ea5e9'],
  POLITICS: ['#9f1239', '#f43f5e'],
  SCIENCE: ['#3f6212', '#84cc16'],
  IT: ['#1e293b', '#64748b'],
  ART: ['#86198f', '#d946ef'],
  MUSIC: ['#6b21a8', '#c084fc'],
  PE: ['#065f46', '#10b981'],
}
const DEFAULT_COLOURS: [string, string] = ['#1d4ed8', '#60a5fa']

export const coverColours = (subject: string | null) => (subject && PALETTE[subject]) || DEFAULT_COLOURS

/** Width of a character in ems, roughly: CJK and full-width forms are square, Latin about half. */
function units(ch: string) {
  const c = ch.codePointAt(0)!
  if (c <= 0x7f) return ch === ' ' ? 0.3 : /[A-Z0-9]/.test(ch) ? 0.62 : 0.52
  return 1
}

/** Characters that must not start a line (Chinese line-breaking rules, kept short). */
const NO_LINE_START = new Set('，。、；：？！）》」』】〕”’,.;:?!)%…·')

/**
 * Breaks text into at most `maxLines` lines of at most `maxUnits` ems; the last line ends in
 * "…" when the text does not fit. Punctuation that may not start a line stays on the line before.
 */
export function wrapText(text: string, maxUnits: number, maxLines: number): string[] {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  const lines: string[] = []
  let line = ''
  let width = 0
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    const w = units(ch)
    if (width + w > maxUnits && line && !NO_LINE_START.has(ch)) {
      lines.push(line.trimEnd())
      line = ''
      width = 0
      if (lines.length === maxLines) {
        // Out of room: the last line gives up its tail for an ellipsis.
        let last = lines.pop()!
        while ([...last].reduce((a, c) => a + units(c), 0) + 1 > maxUnits) last = [...last].slice(0, -1).join('')
        lines.push(last.replace(/[，、：；\s]+$/, '') + '…')
        return lines
      }
      if (ch === ' ') continue
    }
    line += ch
    width += w
  }
  if (line) lines.push(line.trimEnd())
  return lines
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const VIDEO_TYPES = new Set(['MICRO_LECTURE', 'ONLINE_COURSE'])

/** A small white emblem of the type: a play button, slides, or a page with lines. */
function emblem(type: string, colour: string) {
  const x = COVER_WIDTH - 56
  const y = 22
  const base = `<circle cx="${x + 16}" cy="${y + 16}" r="18" fill="#fff" fill-opacity="0.92"/>`
  if (VIDEO_TYPES.has(type))
    return `${base}<path d="M${x + 11} ${y + 7} L${x + 25} ${y + 16} L${x + 11} ${y + 25} Z" fill="${colour}"/>`
  if (type === 'COURSEWARE')
    return `${base}<rect x="${x + 6}" y="${y + 8}" width="20" height="14" rx="2" fill="none" stroke="${colour}" stroke-width="2.4"/><path d="M${x + 16} ${y + 22} V${y + 27} M${x + 11} ${y + 27} H${x + 21}" stroke="${colour}" stroke-width="2.4"/>`
  return `${base}<rect x="${x + 8}" y="${y + 5}" width="16" height="22" rx="2" fill="none" stroke="${colour}" stroke-width="2.4"/><path d="M${x + 12} ${y + 12} H${x + 20} M${x + 12} ${y + 17} H${x + 20} M${x + 12} ${y + 22} H${x + 17}" stroke="${colour}" stroke-width="2"/>`
}

/** The card as SVG (exported for tests and for the demo's pictures). Texts are zh-CN: the
 * covers are pictures of the catalogue, drawn once for every visitor. */
export function coverSvg(c: CoverFields) {
  const t = translator('zh-CN')
  const [dark, light] = coverColours(c.subject)
  const type = t(`resourceType.${c.type}` as 'resourceType.OTHER')
  const subject = c.subject ? t(`subject.${c.subject}` as 'subject.MATH') : ''
  const grade = c.grade ? t(`grade.${c.grade}` as 'grade.G1') : ''
  const footer = [subject, grade].filter(Boolean).join(' · ')
  // Three lines at 28 px for most titles; a long one gets a smaller size rather than an ellipsis.
  let size = 28
  let lines = wrapText(c.title, (COVER_WIDTH - 48) / size, 3)
  if (lines.length === 3 && lines[2]!.endsWith('…')) {
    size = 24
    lines = wrapText(c.title, (COVER_WIDTH - 48) / size, 3)
  }
  const lineHeight = Math.round(size * 1.32)
  const top = 74 + Math.round(((3 - lines.length) * lineHeight) / 2.6) + size
  const chipWidth = Math.round([...type].reduce((a, ch) => a + units(ch), 0) * 15 + 24)
  const watermark = subject ? [...subject][0]! : type ? [...type][0]! : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 ${COVER_WIDTH} ${COVER_HEIGHT}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${dark}"/><stop offset="1" stop-color="${light}"/></linearGradient></defs>
<rect width="${COVER_WIDTH}" height="${COVER_HEIGHT}" fill="url(#g)"/>
<circle cx="${COVER_WIDTH - 40}" cy="${COVER_HEIGHT + 10}" r="130" fill="#fff" fill-opacity="0.07"/>
<circle cx="${COVER_WIDTH + 10}" cy="40" r="80" fill="#fff" fill-opacity="0.06"/>
<text x="${COVER_WIDTH - 18}" y="${COVER_HEIGHT - 18}" text-anchor="end" font-family="${FONT}" font-weight="700" font-size="128" fill="#fff" fill-opacity="0.1">${esc(watermark)}</text>
<rect x="24" y="22" width="${chipWidth}" height="30" rx="15" fill="#fff" fill-opacity="0.95"/>
<text x="${24 + chipWidth / 2}" y="42.5" text-anchor="middle" font-family="${FONT}" font-weight="700" font-size="15" fill="${dark}">${esc(type)}</text>
${emblem(c.type, dark)}
${lines.map((l, i) => `<text x="24" y="${top + i * lineHeight}" font-family="${FONT}" font-weight="700" font-size="${size}" fill="#fff">${esc(l)}</text>`).join('\n')}
<rect x="24" y="${COVER_HEIGHT - 44}" width="28" height="3" rx="1.5" fill="#fff" fill-opacity="0.7"/>
<text x="24" y="${COVER_HEIGHT - 18}" font-family="${FONT}" font-size="15" fill="#fff" fill-opacity="0.9">${esc(footer)}</text>
</svg>`
}

/** The cover as WebP bytes (a few milliseconds once fontconfig has loaded its fonts). */
export async function renderCover(c: CoverFields): Promise<Buffer> {
  return sharp(Buffer.from(coverSvg(c)))
    .webp({ quality: 82, effort: 2 })
    .toBuffer()
}
