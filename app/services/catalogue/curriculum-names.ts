/**
 * The curriculum tree's names in the reader's language. The tree (prisma/taxonomy/) is Chinese
 * data: every node has a Chinese name and stable codes in its id (stage `jh`, subject `math`,
 * edition `pep`, volume `8b`, chapter `c17`: "jh.math.pep.8b.c17"). English names exist for what
 * the codes name, so they are given here, by code: stages, subjects (the interface's own subject
 * names), editions and volumes; a chapter keeps its Chinese title after its English number
 * ("第十七章 勾股定理" → "Chapter 17 勾股定理"). Sections and knowledge points have no English
 * name and stay Chinese. Framework-free; no database.
 */
import { isMessageKey, translator, type Locale } from '~/lib/i18n/index.ts'

export type NamedNode = { id: string; level: string; name: string }

const STAGES: Record<string, { name: string; of: string }> = {
  ps: { name: 'Primary school', of: 'primary' },
  jh: { name: 'Junior high school', of: 'junior high' },
  sh: { name: 'Senior high school', of: 'senior high' },
}

/** Textbook editions by their code in the taxonomy (人教版, 部编版 / 统编版). */
const EDITIONS: Record<string, string> = {
  pep: "PEP (People's Education Press)",
  bubian: 'National unified edition',
}

const english = translator('en')

function subjectName(code: string | undefined) {
  const key = `subject.${(code ?? '').toUpperCase()}`
  return isMessageKey(key) ? english(key) : null
}

/** Volume codes: "8b" (八年级下册) → Grade 8, volume 2; "b1" (必修第一册) → Compulsory book 1. */
function volumeName(code: string | undefined) {
  const term = /^(\d{1,2})([ab])$/.exec(code ?? '')
  if (term) return `Grade ${term[1]}, volume ${term[2] === 'a' ? 1 : 2}`
  const book = /^b(\d)$/.exec(code ?? '')
  if (book) return `Compulsory book ${book[1]}`
  return null
}

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}

/** 一 → 1, 十 → 10, 十七 → 17, 二十一 → 21, 一百零二 → 102; null when it is not such a numeral. */
export function chineseNumber(text: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return null
  let total = 0
  let digit: number | null = null
  for (const ch of text) {
    if (ch === '百' || ch === '十') {
      total += (digit ?? 1) * (ch === '百' ? 100 : 10)
      digit = null
    } else digit = DIGITS[ch]!
  }
  return total + (digit ?? 0)
}

/** "第十七章 勾股定理" → "Chapter 17 勾股定理", "第三单元 …" → "Unit 3 …"; other names have none. */
function chapterName(name: string) {
  const m = /^第([零〇一二两三四五六七八九十百]+)(章|单元)\s*(.*)$/.exec(name)
  const n = m ? chineseNumber(m[1]!) : null
  if (!m || n === null) return null
  return `${m[2] === '章' ? 'Chapter' : 'Unit'} ${n}${m[3] ? ` ${m[3]}` : ''}`
}

/** The node's English name, or null where it has none. */
export function englishNodeName(node: NamedNode): string | null {
  const [stage, subject, edition, volume] = node.id.split('.')
  switch (node.level) {
    case 'STAGE':
      return STAGES[stage!]?.name ?? null
    case 'SUBJECT': {
      const s = subjectName(subject)
      return s && STAGES[stage!] ? `${s} (${STAGES[stage!]!.of})` : null
    }
    case 'EDITION':
      return EDITIONS[edition ?? ''] ?? null
    case 'VOLUME':
      return volumeName(volume)
    case 'CHAPTER':
      return chapterName(node.name)
    default:
      return null
  }
}

/** The name to show: English where one exists and the reader reads English, else the Chinese name. */
export function nodeName(node: NamedNode, locale: Locale): string {
  return locale === 'en' ? (englishNodeName(node) ?? node.name) : node.name
}

/** A node with its name in the reader's language (same shape, so callers need not change). */
export function localiseNode<T extends NamedNode>(node: T, locale: Locale): T {
  return locale === 'en' ? { ...node, name: nodeName(node, locale) } : node
}

/** A stage facet's label ("jh" → 初中 / Junior high school). */
export function stageName(code: string, chinese: string, locale: Locale): string {
  return locale === 'en' ? (STAGES[code]?.name ?? chinese) : chinese
}

/** An edition facet's label ("pep" → 人教版 / PEP (People's Education Press)). */
export function editionName(code: string, chinese: string, locale: Locale): string {
  return locale === 'en' ? (EDITIONS[code] ?? chinese) : chinese
}
