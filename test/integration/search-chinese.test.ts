/**
 * The resources index's Chinese settings against a real Meilisearch: curriculum terms stay
 * whole, and a short term finds the longer titles that contain it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { search, indexName } from '../../search/client.ts'
import { bareTerm, configureResourcesIndex, curriculumDictionary } from '../../search/resources-index.ts'
import { seedDemo } from '../factories/index.ts'

const uid = indexName('resources_chinese_test')
const DOCS = [
  { id: 'a', title: '勾股定理的证明方法（赵爽弦图）', knowledgePoints: ['勾股定理', '赵爽弦图'] },
  { id: 'b', title: '一元二次方程的解法：配方法', knowledgePoints: ['一元二次方程', '配方法'] },
  { id: 'c', title: '牛顿第二定律 实验探究', chapters: ['运动和力的关系'] },
  { id: 'd', title: '二次函数的图像和性质', knowledgePoints: ['二次函数的图象和性质'] },
  { id: 'e', title: '二次根式的化简', knowledgePoints: ['最简二次根式'] },
  { id: 'f', title: '定理证明的一般方法', description: '几何证明中股与弦的关系' },
  { id: 'g', title: '一次函数的图象', knowledgePoints: ['一次函数'] },
]

beforeAll(async () => {
  await seedDemo()
  await configureResourcesIndex(uid)
  await search.index(uid).addDocuments(DOCS).waitTask()
})
afterAll(async () => {
  await search.deleteIndex(uid).waitTask()
})

const ids = async (q: string) => (await search.index(uid).search(q, { limit: 10 })).hits.map((h) => h.id as string)

describe('Chinese search settings', () => {
  it('builds the dictionary from the taxonomy, without textbook numbering', async () => {
    expect(bareTerm('第十七章 勾股定理')).toBe('勾股定理')
    expect(bareTerm('17.2 勾股定理的逆定理')).toBe('勾股定理的逆定理')
    expect(bareTerm('3 牛顿第二定律')).toBe('牛顿第二定律')
    const dict = await curriculumDictionary()
    expect(dict).toEqual(expect.arrayContaining(['勾股定理', '一元二次方程', '牛顿第二定律', '二次函数', '赵爽弦图']))
    const settings = await search.index(uid).getSettings()
    expect(settings.localizedAttributes).toEqual([
      {
        attributePatterns: ['title', 'keywords', 'knowledgePoints', 'chapters', 'description', 'text', 'subtitles'],
        locales: ['cmn'],
      },
    ])
    expect(settings.dictionary).toContain('牛顿第二定律')
  })

  it('keeps curriculum terms whole and ranks the resource about them first', async () => {
    expect((await ids('勾股定理'))[0]).toBe('a')
    expect(await ids('勾股定理')).not.toContain('f') // 股 and 定理 alone are not 勾股定理
    expect((await ids('一元二次方程'))[0]).toBe('b')
    expect((await ids('牛顿第二定律'))[0]).toBe('c')
  })

  it('a short term finds longer titles that contain it', async () => {
    expect((await ids('二次函数'))[0]).toBe('d')
    expect(await ids('配方法')).toContain('b')
  })
})
