/** Plural forms in the translator (app/lib/i18n/index.ts): `<key>_one` beside a key, picked by the count. */
import { describe, expect, it } from 'vitest'
import { en } from '~/lib/i18n/en.ts'
import { enPlural } from '~/lib/i18n/en.plural.ts'
import { isMessageKey, pluralCount, translator } from '~/lib/i18n/index.ts'

const t = translator('en')
const zh = translator('zh-CN')

describe('plural forms', () => {
  it('English says 1 star, 2 stars, 0 stars; 1 resource, 3 resources', () => {
    expect(t('engagement.stars', { n: 1 })).toBe('1 star')
    expect(t('engagement.stars', { n: 2 })).toBe('2 stars')
    expect(t('engagement.stars', { n: 0 })).toBe('0 stars')
    expect(t('search.count', { n: 1 })).toBe('1 resource')
    expect(t('search.count', { n: 3 })).toBe('3 resources')
    expect(t('viewer.morePages', { count: 1 })).toBe('The preview shows only the first 1 page; download for the rest.')
    expect(t('viewer.morePages', { count: 20 })).toBe('The preview shows the first 20 pages; download for the rest.')
  })

  it('a count given as a string of digits counts too; 1.5 is plural in English', () => {
    expect(t('search.starsAtLeast', { n: '1' })).toBe('1 star and up')
    expect(t('search.starsAtLeast', { n: '4' })).toBe('4 stars and up')
    expect(t('engagement.stars', { n: 1.5 })).toBe('1.5 stars')
  })

  it('the count is `count`, else `n`, else the only number among the parameters', () => {
    expect(pluralCount({ count: 2, n: 1 })).toBe(2)
    expect(pluralCount({ n: 1, avg: '4.5' })).toBe(1)
    expect(pluralCount({ seconds: 1 })).toBe(1)
    expect(pluralCount({ a: 1, b: 2 })).toBeNull()
    expect(pluralCount({ name: 'x' })).toBeNull()
    expect(pluralCount(undefined)).toBeNull()
    expect(t('auth.signIn.slowDown', { seconds: 1 })).toMatch(/in 1 second\.$/)
    expect(t('auth.signIn.slowDown', { seconds: 4 })).toMatch(/in 4 seconds\.$/)
    expect(t('engagement.ratingSummary', { avg: '5.0', n: 1 })).toBe('Average 5.0 from 1 rating')
  })

  it('Chinese has one form, whatever the count', () => {
    expect(zh('engagement.stars', { n: 1 })).toBe(zh('engagement.stars', { n: 2 }).replace('2', '1'))
    expect(zh('search.count', { n: 1 })).toContain('1')
  })

  it('every English form belongs to an existing key and has the same placeholders as it', () => {
    const forms = Object.entries(enPlural)
    expect(forms.length).toBeGreaterThan(10)
    for (const [k, v] of forms) {
      const base = k.replace(/_(zero|one|two|few|many)$/, '')
      expect(isMessageKey(base), k).toBe(true)
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort()
      expect(placeholders(v!), k).toEqual(placeholders(en[base as keyof typeof en]))
    }
  })
})
