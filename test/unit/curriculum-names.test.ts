/** English names of the curriculum tree (app/services/catalogue/curriculum-names.ts), over the real taxonomy. */
import { describe, expect, it } from 'vitest'
import { taxonomyNodes } from '../../prisma/taxonomy/seed-taxonomy.ts'
import {
  chineseNumber,
  editionName,
  englishNodeName,
  nodeName,
  stageName,
} from '~/services/catalogue/curriculum-names.ts'
import { positionLabel } from '~/services/catalogue/curriculum.server.ts'

const { nodes } = taxonomyNodes()
const byId = new Map(nodes.map((n) => [n.id, n]))
const node = (id: string) => byId.get(id)!

describe('curriculum names in English', () => {
  it('stages, subjects, editions, volumes and chapter numbers have English names', () => {
    expect(englishNodeName(node('jh'))).toBe('Junior high school')
    expect(englishNodeName(node('jh.math'))).toBe('Mathematics (junior high)')
    expect(englishNodeName(node('ps.politics'))).toBe('Morality and law (primary)')
    expect(englishNodeName(node('jh.math.pep'))).toBe("PEP (People's Education Press)")
    expect(englishNodeName(node('ps.chinese.bubian'))).toBe('National unified edition')
    expect(englishNodeName(node('jh.math.pep.8b'))).toBe('Grade 8, volume 2')
    expect(englishNodeName(node('sh.physics.pep.b1'))).toBe('Compulsory book 1')
    const pythagoras = nodes.find((n) => n.level === 'CHAPTER' && n.name.includes('勾股定理'))!
    expect(pythagoras.name).toBe('第十七章 勾股定理')
    expect(englishNodeName(pythagoras)).toBe('Chapter 17 勾股定理')
  })

  it('every stage, subject, edition and volume of the taxonomy has one; sections and 识字（一） keep Chinese', () => {
    for (const n of nodes.filter((x) => ['STAGE', 'SUBJECT', 'EDITION', 'VOLUME'].includes(x.level)))
      expect(englishNodeName(n), n.id).toMatch(/^[A-Z][\x20-\x7e]+$/)
    for (const n of nodes.filter((x) => x.level === 'CHAPTER' && x.name.startsWith('第')))
      expect(englishNodeName(n), n.name).toMatch(/^Chapter \d+ /)
    const literacy = nodes.find((n) => n.level === 'CHAPTER' && n.name === '识字（一）')!
    expect(englishNodeName(literacy)).toBeNull()
    expect(nodeName(literacy, 'en')).toBe('识字（一）')
    const section = nodes.find((n) => n.level === 'SECTION')!
    expect(nodeName(section, 'en')).toBe(section.name)
  })

  it('Chinese readers get the Chinese names, unchanged', () => {
    for (const n of nodes.slice(0, 200)) expect(nodeName(n, 'zh-CN')).toBe(n.name)
    expect(stageName('jh', '初中', 'zh-CN')).toBe('初中')
    expect(editionName('pep', '人教版', 'zh-CN')).toBe('人教版')
    expect(stageName('jh', '初中', 'en')).toBe('Junior high school')
    expect(editionName('pep', '人教版', 'en')).toBe("PEP (People's Education Press)")
    expect(editionName('unknown', '某版', 'en')).toBe('某版')
  })

  it('reads Chinese numerals', () => {
    expect([chineseNumber('一'), chineseNumber('十'), chineseNumber('十七'), chineseNumber('二十一')]).toEqual([
      1, 10, 17, 21,
    ])
    expect(chineseNumber('一百零二')).toBe(102)
    expect(chineseNumber('abc')).toBeNull()
  })

  it('a position reads as a trail in English', () => {
    const trail = ['jh', 'jh.math', 'jh.math.pep', 'jh.math.pep.8b', 'jh.math.pep.8b.c2'].map((id) => ({
      ...node(id),
      name: nodeName(node(id), 'en'),
    }))
    expect(positionLabel(trail, 'en')).toBe("PEP (People's Education Press) › Grade 8, volume 2 › Chapter 17 勾股定理")
    expect(positionLabel(['jh.math.pep', 'jh.math.pep.8b'].map(node))).toBe('人教版 八年级下册')
  })
})
