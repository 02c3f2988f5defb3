/** Cover cards (their object key, the thumb token rule for them, the drawing) and partial stars. */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { isThumbKey, signThumb, verifyThumb } from '../../storage/capabilities.ts'
import { COVER_DESIGN, coverHash, isValidKey, objectKeys, parseCoverKey } from '../../storage/keys.ts'
import { thumbOf } from '../../search/resource-document.ts'
import { coverSvg, renderCover, wrapText } from '../../workers/media/cover.ts'
import { starFills } from '~/components/catalogue/marked.tsx'
import { scoresFor, viewsFor } from '../../scripts/catalogue/generate.ts'

const SECRET = 'unit-test-secret-0123456789abcdef0123'
const ref = { platformId: 'cplatform0001', resourceId: 'cresource0001' }
const fields = { title: '勾股定理 分层作业（含答案）', type: 'EXERCISE', subject: 'MATH', grade: 'G8' }

describe('cover keys', () => {
  it('name one WebP per resource and content: covers/<platform>/<resource>/<16 hex>.webp', () => {
    const key = objectKeys.cover(ref, fields)
    expect(key).toBe(`covers/cplatform0001/cresource0001/${coverHash(fields)}.webp`)
    expect(key).toMatch(/^covers\/cplatform0001\/cresource0001\/[0-9a-f]{16}\.webp$/)
    expect(isValidKey(key)).toBe(true)
    expect(parseCoverKey(key)).toEqual(ref)
    // The same content is the same key; a new title, type, subject or grade is a new one.
    expect(objectKeys.cover(ref, { ...fields })).toBe(key)
    for (const change of [{ title: '勾股定理 课时作业' }, { type: 'EXAM' }, { subject: 'PHYSICS' }, { grade: 'G9' }])
      expect(objectKeys.cover(ref, { ...fields, ...change })).not.toBe(key)
    expect(COVER_DESIGN).toBeGreaterThan(0)
  })

  it('refuse ids that could steer the key', () => {
    expect(() => objectKeys.cover({ ...ref, resourceId: '../../x' }, fields)).toThrow()
    expect(() => objectKeys.cover({ ...ref, platformId: 'a/b' }, fields)).toThrow()
  })

  it('are recognised exactly: nothing beside, above or below a cover parses as one', () => {
    const key = objectKeys.cover(ref, fields)
    const hash = coverHash(fields)
    for (const other of [
      `covers/cplatform0001/cresource0001/`,
      `covers/cplatform0001/cresource0001`,
      `covers/cplatform0001/cresource0001/${hash}.png`,
      `covers/cplatform0001/cresource0001/${hash.slice(1)}.webp`,
      `covers/cplatform0001/cresource0001/${hash.toUpperCase()}.webp`,
      `covers/cplatform0001/cresource0001/x/${hash}.webp`,
      `covers/cplatform0001/../${hash}.webp`,
      `derived/cplatform0001/cresource0001/cover/${hash}.webp`,
      `originals/cplatform0001/cresource0001/${hash}`,
      `${key}/x`,
      ` ${key}`,
    ])
      expect(parseCoverKey(other), other).toBeNull()
  })
})

describe('thumb tokens and covers', () => {
  it('a cover token opens that one cover: it names exactly its key, and a forged or altered one is refused', () => {
    const key = objectKeys.cover(ref, fields)
    expect(isThumbKey(key)).toBe(true)
    const token = signThumb(SECRET, key, 3600)
    expect(verifyThumb(SECRET, token)?.key).toBe(key)
    // Another resource's cover is another token; this one never names it.
    const otherKey = objectKeys.cover({ ...ref, resourceId: 'cresource0002' }, fields)
    expect(verifyThumb(SECRET, signThumb(SECRET, otherKey, 3600))?.key).toBe(otherKey)
    expect(verifyThumb(SECRET, token)?.key).not.toBe(otherKey)
    // Rewriting the key inside the token breaks its signature.
    const [body, sig] = token.split('.')
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, key: otherKey })).toString('base64url')
    expect(verifyThumb(SECRET, `${forged}.${sig}`)).toBeNull()
    expect(verifyThumb('another-secret-0123456789abcdef0123', token)).toBeNull()
    // Expired.
    expect(verifyThumb(SECRET, signThumb(SECRET, key, 60, Date.now() - 3600_000))).toBeNull()
  })

  it('signThumb refuses anything that is not one picture: cover folders, other extensions, originals, derived folders', () => {
    const hash = coverHash(fields)
    for (const key of [
      'covers/cplatform0001/cresource0001/',
      `covers/cplatform0001/cresource0001/${hash}.png`,
      `covers/cplatform0001/cresource0001/${hash}.webp/../../x`,
      `covers/cplatform0001/${hash}.webp`,
      'originals/cplatform0001/cresource0001/cfile00000001',
      'derived/cplatform0001/cresource0001/cfile00000001/hls/master.m3u8',
      'derived/cplatform0001/cresource0001/cfile00000001/poster/',
    ])
      expect(() => signThumb(SECRET, key, 60), key).toThrow()
    // The pictures it always allowed still sign.
    expect(() =>
      signThumb(SECRET, 'derived/cplatform0001/cresource0001/cfile00000001/poster/poster.webp', 60),
    ).not.toThrow()
  })

  it('thumbOf prefers the file’s own picture and falls back to the cover', () => {
    const key = objectKeys.cover(ref, fields)
    const cover = { prefix: 'covers/cplatform0001/cresource0001/', file: key.split('/').pop()! }
    expect(thumbOf(undefined, key)).toEqual(cover)
    expect(thumbOf({ id: 'cfile00000001', derivatives: [] }, key)).toEqual(cover)
    expect(thumbOf({ id: 'cfile00000001', derivatives: [] })).toBeNull()
    const poster = 'derived/cplatform0001/cresource0001/cfile00000001/poster/poster.webp'
    expect(thumbOf({ id: 'cfile00000001', derivatives: [{ name: 'poster', key: poster, meta: null }] }, key)).toEqual({
      prefix: 'derived/cplatform0001/cresource0001/cfile00000001/',
      file: 'poster/poster.webp',
    })
  })
})

describe('cover drawing', () => {
  it('wraps Chinese titles by width, keeps closing punctuation on its line, and ends a cut title in …', () => {
    expect(wrapText('勾股定理', 10, 3)).toEqual(['勾股定理'])
    expect(wrapText('一二三四五六七八九十，甲乙', 10, 3)).toEqual(['一二三四五六七八九十，', '甲乙'])
    const cut = wrapText('一'.repeat(40), 10, 2)
    expect(cut).toHaveLength(2)
    expect(cut[1]!.endsWith('…')).toBe(true)
    // Latin letters are narrower than Chinese characters.
    expect(wrapText('abcdefghijklmnop', 10, 3)).toHaveLength(1)
  })

  it('draws title, type and subject in the CJK face, escaped, as a 480×270 WebP', async () => {
    const svg = coverSvg({ ...fields, title: '<script>&"勾股"' })
    expect(svg).toContain('&lt;script&gt;&amp;&quot;勾股&quot;')
    expect(svg).toContain('习题')
    expect(svg).toContain('数学 · 八年级')
    expect(svg).toContain('Noto Sans CJK SC')
    const meta = await sharp(await renderCover(fields)).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 270])
  })
})

describe('stars', () => {
  it('draw the average as printed: 4.6 is four full stars and one 60 % full', () => {
    expect(starFills(4.6)).toEqual([1, 1, 1, 1, 0.6])
    expect(starFills(4.25)).toEqual([1, 1, 1, 1, 0.3]) // printed 4.3
    expect(starFills(4.96)).toEqual([1, 1, 1, 1, 1]) // printed 5.0
    expect(starFills(3)).toEqual([1, 1, 1, 0, 0])
    expect(starFills(0.04)).toEqual([0, 0, 0, 0, 0])
    expect(starFills(2.5)).toEqual([1, 1, 0.5, 0, 0])
    for (const bad of [-1, 7, Number.NaN]) expect(starFills(bad).every((f) => f >= 0 && f <= 1)).toBe(true)
  })
})

describe('demo counts', () => {
  it('views are never fewer than downloads, and ratings average to what was meant', () => {
    for (const d of [0, 1, 90, 320, 1999])
      for (const salt of ['gg-micro', 7, 123456]) expect(viewsFor(d, salt)).toBeGreaterThan(d)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(scoresFor(4.8, 8)).toEqual([5, 5, 5, 5, 5, 5, 4, 4])
    for (const [target, n] of [
      [4.2, 5],
      [4.6, 13],
      [3.5, 4],
      [4.9, 3],
    ] as const) {
      const s = scoresFor(target, n)
      expect(s).toHaveLength(n)
      expect(Math.abs(mean(s) - target)).toBeLessThanOrEqual(0.5 / n + 1e-9)
    }
  })
})
