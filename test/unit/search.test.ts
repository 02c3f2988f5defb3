import { describe, expect, it } from 'vitest'
import { buildFilter, parseSearchParams, searchHref } from '~/services/search/search-resources.server.ts'
import { dictionaryTerms, bareTerm } from '../../search/resources-index.ts'
import { priceBand } from '../../search/resource-document.ts'
import { stripControl, unmark } from '~/lib/text.ts'

const portal = { id: 'county1', path: 'prov1/city1/county1' }
const parse = (s: string) => parseSearchParams(new URLSearchParams(s))

describe('search parameters', () => {
  it('parse strictly: known names, checked values, defaults', () => {
    const q = parse(
      'q=%20勾股定理%20%20微课%20&type=MICRO_LECTURE&type=COURSEWARE&subject=math&node=jh.math.pep.8b.c2&rating=4&sort=rating&page=2',
    )
    expect(q).toMatchObject({
      q: '勾股定理 微课',
      type: ['MICRO_LECTURE', 'COURSEWARE'],
      subject: ['math'],
      node: 'jh.math.pep.8b.c2',
      rating: 4,
      sort: 'rating',
      page: 2,
    })
    expect(parse('')).toMatchObject({ q: '', node: null, rating: null, sort: 'relevance', page: 1, type: [] })
    // Remix's own data-request parameters are not the user's and are ignored.
    expect(parse('q=x&_data=routes%2Fx&_routes=a&index').q).toBe('x')
  })

  it('refuse anything else with the parameter named', () => {
    for (const bad of [
      'filter=x',
      'subject=math%22%20OR%20x',
      'grade=G13',
      'type=courseware',
      'page=0',
      'page=251',
      'rating=5',
      'sort=price:asc',
      'node=..%2F..',
      'platform=a%20b',
      'sort=new&sort=rating',
      `q=${'a'.repeat(101)}`,
    ]) {
      let err: unknown
      try {
        parse(bad)
      } catch (e) {
        err = e
      }
      expect(err, bad).toMatchObject({ status: 400, params: { param: bad.split('=')[0] } })
    }
  })

  it('build filters only from checked values, always starting with the portal scope', () => {
    const f = buildFilter(portal, parse('type=MICRO_LECTURE&subject=math&node=jh.math&rating=3&price=FREE'))
    expect(f[0]).toBe('scopeId IN ["prov1", "city1", "county1"]')
    expect(f).toContain('type IN ["MICRO_LECTURE"]')
    expect(f).toContain('nodes = "jh.math"')
    expect(f).toContain('rating >= 3')
    expect(f).toContain('priceBand IN ["FREE"]')
    // The province's portal gathers everything published below it.
    expect(buildFilter({ id: 'prov1', path: 'prov1' }, parse(''))[0]).toBe('platformPath = "prov1"')
  })

  it('make links that round-trip', () => {
    const q = parse('q=二次函数&type=EXERCISE&sort=newest')
    const href = searchHref('/p/x/resources', q, { page: 3 })
    expect(parse(href.split('?')[1]!)).toEqual({ ...q, page: 3 })
    expect(searchHref('/p/x/resources', parse(''))).toBe('/p/x/resources')
  })
})

describe('the curriculum dictionary', () => {
  it('cuts long names at their joining words so the terms inside stay findable', () => {
    expect(bareTerm('第十七章 勾股定理')).toBe('勾股定理')
    expect(
      dictionaryTerms([
        '22.1 二次函数的图象和性质',
        '特殊角的三角函数值',
        '3 牛顿第二定律',
        '17.2 勾股定理的逆定理',
        '5 实验：验证机械能守恒定律',
        'a o e',
      ]),
    ).toEqual(['三角函数值', '二次函数', '勾股定理', '图象', '性质', '特殊角', '牛顿第二定律', '逆定理'].sort())
  })
})

describe('small helpers', () => {
  it('price bands', () => {
    expect([
      priceBand(false, 990),
      priceBand(true, 0),
      priceBand(true, 990),
      priceBand(true, 4900),
      priceBand(true, 9900),
    ]).toEqual(['FREE', 'FREE', 'UNDER_10', 'UNDER_50', 'OVER_50'])
  })
  it('strip control and invisible characters', () => {
    expect(stripControl('a\u0000b\u202ec\nd', { keepLineBreaks: true })).toBe('abc\nd')
    expect(stripControl('a\nb\u0007c')).toBe('a b c')
    expect(unmark('\u0002勾股\u0003定理')).toBe('勾股定理')
  })
})
