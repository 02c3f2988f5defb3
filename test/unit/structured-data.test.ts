import { describe, expect, it } from 'vitest'
import { jsonLdScript, learningResourceJsonLd } from '~/services/catalogue/structured-data.server.ts'
import type { ResourceView } from '~/services/resources/resource-view.server.ts'

const trail = [
  { id: 'jh', name: '初中', level: 'STAGE' },
  { id: 'jh.math', name: '初中数学', level: 'SUBJECT' },
  { id: 'jh.math.pep', name: '人教版', level: 'EDITION' },
  { id: 'jh.math.pep.8b', name: '八年级下册', level: 'VOLUME' },
  { id: 'jh.math.pep.8b.c2', name: '第十七章 勾股定理', level: 'CHAPTER' },
]
const view = {
  resource: {
    id: 'r1',
    title: '勾股定理（第 1 课时）微课',
    description: '通过赵爽弦图探索勾股定理',
    status: 'DRAFT',
    kind: 'VIDEO',
    resourceType: 'MICRO_LECTURE',
    createdAt: '2026-11-23T08:00:00.000Z',
    language: 'zh',
    keywords: ['勾股定理', '赵爽弦图'],
    intendedUsers: ['TEACHER', 'STUDENT'],
    licence: 'CC-BY-NC-SA',
    author: '陈晓梅',
    provider: '醴陵市第一中学',
    version: '1.0',
    platform: { name: '醴陵市教育资源平台' },
    positions: [{ path: trail.map((n) => n.id), trail, label: '' }],
    knowledgePoints: [{ id: 'k1', name: '勾股定理' }],
  },
} as unknown as ResourceView

describe('LRMI JSON-LD', () => {
  it('describes a LearningResource aligned to its textbook chapter', () => {
    const ld = learningResourceJsonLd(view, { resourceType: '微课', pageUrl: 'https://res.example/p/liling/r/r1' })
    expect(ld['@type']).toBe('LearningResource')
    expect(ld.learningResourceType).toBe('video lecture')
    expect(ld.license).toBe('https://creativecommons.org/licenses/by-nc-sa/4.0/')
    expect(ld.isAccessibleForFree).toBe(true)
    expect(ld.teaches).toEqual(['勾股定理'])
    expect(ld.educationalAlignment).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          '@type': 'AlignmentObject',
          alignmentType: 'teaches',
          targetName: '第十七章 勾股定理',
          educationalFramework: '人教版 初中数学 八年级下册',
        }),
        expect.objectContaining({ alignmentType: 'educationalLevel', targetName: '八年级下册' }),
        expect.objectContaining({ alignmentType: 'educationalSubject', targetName: '初中数学' }),
      ]),
    )
    expect(ld.audience.map((a) => a.educationalRole)).toEqual(['teacher', 'student'])
  })

  it('gives a premium resource its price, and a rated one its rating', () => {
    const premium = {
      ...view,
      resource: {
        ...view.resource,
        licence: 'PREMIUM',
        priceCents: 990,
        ratingAvg: 4.333,
        ratingCount: 3,
        publishedAt: '2026-11-23T09:00:00.000Z',
      },
    } as unknown as ResourceView
    const ld = learningResourceJsonLd(premium, { resourceType: '微课', pageUrl: 'https://res.example/p/liling/r/r1' })
    expect(ld.isAccessibleForFree).toBe(false)
    expect(ld.offers).toEqual({ '@type': 'Offer', price: '9.90', priceCurrency: 'CNY' })
    expect(ld.aggregateRating).toMatchObject({ ratingValue: 4.3, ratingCount: 3 })
    expect(ld.datePublished).toBe('2026-11-23T09:00:00.000Z')
  })

  it('cannot break out of its script tag', () => {
    const s = jsonLdScript({ name: '</script><script>alert(1)</script>' })
    expect(s).not.toContain('</script>')
    expect(JSON.parse(s)).toEqual({ name: '</script><script>alert(1)</script>' })
  })
})
