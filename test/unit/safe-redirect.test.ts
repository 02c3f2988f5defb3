/**
 * Property test of `safeRedirectPath`: a seeded generator builds tens of thousands of
 * `redirectTo` values from every control character, backslashes, slashes, dots, percent
 * encodings (single and double), full-width look-alikes and scheme prefixes, and every answer
 * must be the fallback or a path that a browser, resolving it from any page of ours, keeps on
 * our origin. No dependency: the generator is a few lines over a small PRNG.
 */
import { describe, expect, it } from 'vitest'
import { env } from '~/lib/env.server.ts'
import { safeRedirectPath } from '~/lib/session.server.ts'

const FALLBACK = '/p/hunan'
const ORIGIN = new URL(env().APP_URL).origin
/** Pages a browser could be on when it reads the Location header: our origin and platform hosts. */
const PAGES = [
  `${ORIGIN}/p/liling/login`,
  'http://liling.localhost:3000/p/liling/login',
  'https://res.example.cn/a/b/c',
]

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
]
const WHITESPACE = [' ', '\u00a0', '\u1680', '\u2000', '\u200b', '\u2028', '\u2029', '\u3000', '\ufeff']
const ENCODINGS = [
  ...CONTROLS.slice(0, 0x20).map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')),
  '%7f',
  '%20',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%2e',
  '%2E',
  '%252f',
  '%255c',
  '%25',
  '%',
  '%e3%80%82',
  '%ef%bc%8f',
  '%c0%af',
  '%u002f',
]
const PIECES = [
  '/',
  '//',
  '\\',
  '\\\\',
  '.',
  '..',
  '@',
  ':',
  '?',
  '#',
  '&',
  '=',
  'evil.example',
  'evil.example:8080',
  'user:pass@evil.example',
  'http:',
  'https:',
  'javascript:',
  'data:',
  'p',
  'liling',
  'login',
  '\uff0f', // ／ full-width solidus
  '\uff3c', // ＼ full-width reverse solidus
  '\u3002', // 。 ideographic full stop (a dot in host names)
  '\u2215', // ∕ division slash
  '\u2044', // ⁄ fraction slash
  'ｅｖｉｌ',
  '勾股定理',
]

function generate(rand: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  const family = [CONTROLS, WHITESPACE, ENCODINGS, PIECES, PIECES, PIECES]
  const n = 1 + Math.floor(rand() * 8)
  let s = rand() < 0.85 ? '/' : ''
  for (let i = 0; i < n; i++) s += pick(pick(family))
  return s
}

/** Where a browser on `page` goes with this Location header. */
const resolve = (location: string, page: string) => new URL(location, page)
// eslint-disable-next-line no-control-regex -- the property is about control characters
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f-\u009f]/

function violations(input: string) {
  const out = safeRedirectPath(input, FALLBACK)
  if (out === FALLBACK) return []
  const wrong: string[] = []
  if (!out.startsWith('/') || /^\/[/\\]/.test(out)) wrong.push('does not start with a single /')
  if (CONTROL_OR_SPACE.test(out)) wrong.push('holds a control character or space')
  for (const page of PAGES) if (resolve(out, page).origin !== new URL(page).origin) wrong.push(`leaves ${page}`)
  // What the browser then sends back must be the same place again (no second reading).
  const again = resolve(out, PAGES[0]!)
  if (again.pathname + again.search + again.hash !== out) wrong.push('is not in the parser’s own form')
  if (safeRedirectPath(out, FALLBACK) !== out) wrong.push('is not stable')
  let decoded = out
  try {
    decoded = decodeURIComponent(out)
  } catch {
    // left as is
  }
  // eslint-disable-next-line no-control-regex
  if (/^[/\\][\s\u0000-\u001f]*[/\\]/.test(decoded)) wrong.push('reads as a host once decoded')
  return wrong.map((w) => `${JSON.stringify(input)} → ${JSON.stringify(out)}: ${w}`)
}

describe('safeRedirectPath', () => {
  it('refuses the known open-redirect shapes', () => {
    for (const bad of [
      '/\t/evil.example',
      '/%09/evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '//evil.example',
      '/.//evil.example',
      '/..//evil.example',
      '/%2F/evil.example',
      '/%5c/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\u0000/evil.example',
      'https://evil.example',
      '\\\\evil.example',
      'evil.example',
      '',
    ])
      expect(safeRedirectPath(bad, FALLBACK), JSON.stringify(bad)).toBe(FALLBACK)
    expect(safeRedirectPath(null, FALLBACK)).toBe(FALLBACK)
    expect(safeRedirectPath('/'.padEnd(3000, 'a'), FALLBACK)).toBe(FALLBACK)
  })

  it('keeps ordinary paths of ours, with their query and fragment', () => {
    for (const ok of ['/', '/p/liling', '/p/liling/r/abc123?tab=files#top', '/p/liling/resources?stage=jh&page=2'])
      expect(safeRedirectPath(ok, FALLBACK)).toBe(ok)
    expect(new URL(safeRedirectPath('/p/liling/resources?q=勾股定理', FALLBACK), ORIGIN).searchParams.get('q')).toBe(
      '勾股定理',
    )
  })

  it('every generated value from controls, backslashes and encodings stays on our origin, from any of our pages', () => {
    const rand = prng(0x15c0de)
    const wrong: string[] = []
    let accepted = 0
    for (let i = 0; i < 30_000; i++) {
      const input = generate(rand)
      const v = violations(input)
      if (safeRedirectPath(input, FALLBACK) !== FALLBACK) accepted++
      wrong.push(...v)
      if (wrong.length > 20) break
    }
    expect(wrong).toEqual([])
    // The generator reaches both sides: plenty of values are accepted, plenty refused.
    expect(accepted).toBeGreaterThan(1_000)
    expect(accepted).toBeLessThan(29_000)
  })

  it('every single character (Latin to CJK punctuation, and the full-width forms) between "/" and "/evil.example" is refused or stays home', () => {
    const wrong: string[] = []
    const codes = [
      ...Array.from({ length: 0x3040 }, (_, i) => i),
      ...Array.from({ length: 0x200 }, (_, i) => 0xfe00 + i),
    ]
    for (const c of codes) {
      const ch = String.fromCharCode(c)
      for (const input of [
        `/${ch}/evil.example`,
        `/${ch}\\evil.example`,
        `${ch}//evil.example`,
        `/${ch}${ch}evil.example`,
      ])
        wrong.push(...violations(input))
      if (wrong.length > 20) break
    }
    expect(wrong).toEqual([])
  })
})
