/** The small rules behind a teacher's and a reviewer's day: the title and type proposed from a
 * file name, time codes in comments, and what a draft needs before it is submitted. */
import { describe, expect, it } from 'vitest'
import { titleFromFileName, typeFromFileName } from '~/services/uploads/draft-defaults.ts'
import { formatTimecode, splitTimecodes } from '~/components/media/timecodes.tsx'
import { MIN_DESCRIPTION, missingForSubmission } from '~/services/review/checks.server.ts'

describe('the title proposed from a file name', () => {
  it.each([
    ['勾股定理.mp4', '勾股定理'],
    ['01-勾股定理的证明.mp4', '勾股定理的证明'],
    ['1、勾股定理教学设计.docx', '勾股定理教学设计'],
    ['(3) 一元一次方程.pptx', '一元一次方程'],
    ['（一）认识分数.pdf', '认识分数'],
    ['第1课 春.pptx', '第1课 春'],
    ['勾股定理 课件 - 副本.pptx', '勾股定理 课件'],
    ['勾股定理课件(2).pptx', '勾股定理课件'],
    ['勾股定理_教学设计_final.docx', '勾股定理 教学设计'],
    ['lesson_v2.docx', 'lesson'],
    ['C:\\Users\\王老师\\Desktop\\春晓 朗读.mp3', '春晓 朗读'],
    ['01.mp4', '01'],
    ['1.2 分数的意义.pptx', '1.2 分数的意义'],
    ['Semifinal review.pptx', 'Semifinal review'],
    ['Photocopy practice.pdf', 'Photocopy practice'],
    ['lesson copy.docx', 'lesson'],
    ['   .pdf', '.pdf'],
  ])('%s → %s', (name, title) => {
    expect(titleFromFileName(name)).toBe(title)
  })

  it('is at most 120 characters', () => {
    expect(titleFromFileName(`${'长'.repeat(300)}.pdf`)).toHaveLength(120)
  })
})

describe('the type proposed from a file name', () => {
  it.each([
    ['a.mp4', 'MICRO_LECTURE'],
    ['a.MOV', 'MICRO_LECTURE'],
    ['a.pptx', 'COURSEWARE'],
    ['a.docx', 'LESSON_PLAN'],
    ['a.wps', 'LESSON_PLAN'],
    ['a.jpg', 'MEDIA'],
    ['a.mp3', 'MEDIA'],
    ['a.pdf', 'COURSEWARE'],
    ['a', 'COURSEWARE'],
  ])('%s → %s', (name, type) => {
    expect(typeFromFileName(name)).toBe(type)
  })
})

describe('time codes in comments', () => {
  it('finds mm:ss, h:mm:ss and full-width colons, and leaves other numbers alone', () => {
    expect(splitTimecodes('01:15 处讲解太快，1:02:03 也是；比分 3:2，时间 12:345 不是')).toEqual([
      { text: '01:15', seconds: 75 },
      { text: ' 处讲解太快，' },
      { text: '1:02:03', seconds: 3723 },
      { text: ' 也是；比分 3:2，时间 12:345 不是' },
    ])
    expect(splitTimecodes('第2：30秒')).toEqual([{ text: '第' }, { text: '2：30', seconds: 150 }, { text: '秒' }])
    expect(splitTimecodes('没有时间')).toEqual([{ text: '没有时间' }])
  })

  it('formats a position back', () => {
    expect([formatTimecode(0), formatTimecode(75.9), formatTimecode(3723)]).toEqual(['00:00', '01:15', '1:02:03'])
  })
})

describe('what a draft needs before it is submitted', () => {
  const complete = {
    title: '勾股定理',
    description: '本节课讲解勾股定理的证明',
    resourceType: 'MICRO_LECTURE',
    curriculum: ['jh.math.pep.8b.c2.s1'],
    licence: 'CC-BY-NC',
    priceCents: null,
    keywords: [],
  }

  it('nothing, when title, type, position, description and licence are there', () => {
    expect(missingForSubmission(complete)).toEqual([])
  })

  it('names each missing field, counting characters (not bytes) of the description', () => {
    expect(
      missingForSubmission({
        ...complete,
        title: '  ',
        resourceType: 'NOPE',
        curriculum: [],
        description: '短'.repeat(MIN_DESCRIPTION - 1),
        licence: 'WHATEVER',
      }).map((c) => c.field),
    ).toEqual(['title', 'resourceType', 'curriculum', 'description', 'licence'])
    expect(missingForSubmission({ ...complete, description: '长'.repeat(MIN_DESCRIPTION) })).toEqual([])
  })

  it('a premium licence needs its price', () => {
    expect(missingForSubmission({ ...complete, licence: 'PREMIUM' })).toEqual([
      { key: 'resource.error.premiumNeedsPrice', field: 'price' },
    ])
    expect(missingForSubmission({ ...complete, licence: 'PREMIUM', priceCents: 500 })).toEqual([])
  })
})
