/** The curriculum taxonomy: real textbook data, the tree API, and positions on resources. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { updateDraft } from '~/services/resources/update-draft.server.ts'
import { startUpload } from '~/services/uploads/start-upload.server.ts'
import { curriculumTrail, positionLabel } from '~/services/catalogue/curriculum.server.ts'
import { seedTaxonomy } from '../../prisma/taxonomy/seed-taxonomy.ts'
import { PHONES, actorByPhone, platformBySlug, seedDemo } from '../factories/index.ts'
import { startTestServer } from '../factories/http.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server.close())

describe('the seeded curriculum', () => {
  it('holds 人教版 初中数学 七年级上 to 九年级下, 高中物理 必修一至三, 部编版 一年级上册 语文, with knowledge points', async () => {
    const volumes = await prisma.curriculumNode.findMany({
      where: { parentId: 'jh.math.pep' },
      orderBy: { position: 'asc' },
      select: { name: true },
    })
    expect(volumes.map((v) => v.name)).toEqual([
      '七年级上册',
      '七年级下册',
      '八年级上册',
      '八年级下册',
      '九年级上册',
      '九年级下册',
    ])
    expect(await prisma.curriculumNode.count({ where: { edition: 'pep', subject: 'math', level: 'CHAPTER' } })).toBe(29)
    expect(await prisma.curriculumNode.count({ where: { stage: 'sh', subject: 'physics', level: 'CHAPTER' } })).toBe(13)
    expect((await prisma.curriculumNode.findUniqueOrThrow({ where: { id: 'jh.math.pep.8b.c2' } })).name).toBe(
      '第十七章 勾股定理',
    )
    expect((await prisma.curriculumNode.findUniqueOrThrow({ where: { id: 'sh.physics.pep.b1.c4.s3' } })).name).toBe(
      '3 牛顿第二定律',
    )
    expect(await prisma.curriculumNode.count({ where: { parentId: 'ps.chinese.bubian.1a' } })).toBeGreaterThanOrEqual(8)
    const kps = await prisma.curriculumKnowledgePoint.findMany({
      where: { nodeId: 'jh.math.pep.8b.c2' },
      select: { knowledgePoint: { select: { name: true } } },
    })
    expect(kps.map((k) => k.knowledgePoint.name)).toEqual(
      expect.arrayContaining(['勾股定理', '勾股定理的逆定理', '勾股数']),
    )
    const trail = await curriculumTrail('jh.math.pep.8b.c2.s1')
    expect(positionLabel(trail)).toBe('人教版 八年级下册 第十七章 勾股定理 17.1 勾股定理')
    expect(await prisma.resourceTypeDef.count()).toBe(15)
  })

  it('seeding again changes nothing', async () => {
    const before = await prisma.curriculumNode.count()
    const kpBefore = await prisma.knowledgePoint.count()
    await seedTaxonomy(prisma)
    expect(await prisma.curriculumNode.count()).toBe(before)
    expect(await prisma.knowledgePoint.count()).toBe(kpBefore)
  })

  it('the tree API lists children in textbook order and refuses malformed ids', async () => {
    const roots = await (await fetch(`${server.base}/p/liling/api/curriculum`)).json()
    expect(roots.children.map((c: { name: string }) => c.name)).toEqual(['小学', '初中', '高中'])
    const chapters = await (await fetch(`${server.base}/p/liling/api/curriculum?parent=jh.math.pep.8b`)).json()
    expect(chapters.children.map((c: { name: string }) => c.name)).toEqual([
      '第十六章 二次根式',
      '第十七章 勾股定理',
      '第十八章 平行四边形',
      '第十九章 一次函数',
      '第二十章 数据的分析',
    ])
    const sections = await (await fetch(`${server.base}/p/liling/api/curriculum?parent=jh.math.pep.8b.c2`)).json()
    expect(sections.knowledgePoints.map((k: { name: string }) => k.name)).toContain('赵爽弦图')
    expect((await fetch(`${server.base}/p/liling/api/curriculum?parent=../../etc`)).status).toBe(400)
  })
})

describe('curriculum positions on a resource', () => {
  it('are validated, stored, and set subject and grade', async () => {
    const actor = await actorByPhone(PHONES.lilingTeacher)
    const platform = await platformBySlug('liling')
    const { resourceId } = await startUpload(actor, platform, { name: '勾股定理微课.mp4', size: 1000 })
    const kp = await prisma.knowledgePoint.findFirstOrThrow({ where: { subject: 'math', name: '勾股定理' } })
    await updateDraft(actor, resourceId, {
      title: '勾股定理微课',
      resourceType: 'MICRO_LECTURE',
      curriculum: ['jh.math.pep.8b.c2.s1'],
      knowledgePoints: [kp.id],
    })
    const r = await prisma.resource.findUniqueOrThrow({
      where: { id: resourceId },
      include: { curriculum: true, knowledgePoints: true },
    })
    expect(r.curriculum.map((c) => c.nodeId)).toEqual(['jh.math.pep.8b.c2.s1'])
    expect(r.knowledgePoints.map((k) => k.knowledgePointId)).toEqual([kp.id])
    expect([r.subject, r.grade]).toEqual(['MATH', 'G8'])

    const bad = await updateDraft(actor, resourceId, {
      title: 'x',
      resourceType: 'MICRO_LECTURE',
      curriculum: ['jh.math.pep.8b.c99'],
    }).catch((e) => e)
    expect(isAppError(bad) && bad.fields.curriculum).toBe('resource.error.unknownPosition')
    const other = await updateDraft(await actorByPhone(PHONES.lilingTeacher2), resourceId, {
      title: 'x',
      resourceType: 'MICRO_LECTURE',
    }).catch((e) => e)
    expect(isAppError(other) && other.code).toBe('NOT_FOUND')
    // Catalogue metadata: keywords typed as one line, licence, audience, language, version.
    await updateDraft(actor, resourceId, {
      title: '勾股定理微课',
      resourceType: 'MICRO_LECTURE',
      curriculum: ['jh.math.pep.8b.c2.s1'],
      knowledgePoints: [kp.id],
      keywords: '勾股定理，赵爽弦图、 证明 勾股定理',
      licence: 'CC-BY-SA',
      intendedUsers: ['TEACHER', 'STUDENT'],
      language: 'zh',
      author: '陈晓梅',
      provider: '醴陵市第一中学',
      version: '1.1',
    })
    const m = await prisma.resource.findUniqueOrThrow({ where: { id: resourceId } })
    expect(m.keywords).toEqual(['勾股定理', '赵爽弦图', '证明'])
    expect([m.licence, m.intendedUsers, m.author, m.provider, m.version]).toEqual([
      'CC-BY-SA',
      ['TEACHER', 'STUDENT'],
      '陈晓梅',
      '醴陵市第一中学',
      '1.1',
    ])
    const refused = async (input: Record<string, unknown>) => {
      const e = await updateDraft(actor, resourceId, {
        title: 'x',
        resourceType: 'MICRO_LECTURE',
        ...input,
      } as never).catch((x) => x)
      return isAppError(e) ? e.fields : e
    }
    expect(await refused({ keywords: Array.from({ length: 11 }, (_, i) => `词${i}`).join(',') })).toEqual({
      keywords: 'resource.error.tooManyKeywords',
    })
    expect(await refused({ keywords: '这是一个超过二十个字的特别特别特别长的关键词啊' })).toEqual({
      keywords: 'resource.error.keywordTooLong',
    })
    expect(await refused({ intendedUsers: [] })).toEqual({ intendedUsers: 'resource.error.noIntendedUsers' })
    expect(await refused({ licence: 'GPL' })).toEqual({ licence: 'validation.required' })
    expect(await refused({ version: '1.0 <script>' })).toEqual({ version: 'resource.error.badVersion' })
    expect(await refused({ title: '' })).toEqual({ title: 'validation.required' })
    // Nothing changed by the refused calls.
    expect((await prisma.resourceCurriculum.findMany({ where: { resourceId } })).map((c) => c.nodeId)).toEqual([
      'jh.math.pep.8b.c2.s1',
    ])
  })
})
