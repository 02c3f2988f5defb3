/**
 * The review workflow against real PostgreSQL (and the worker, for the index): submission,
 * changes requested, resubmission with versions, approval with scores, rejection, two-reviewer
 * platforms, recommendation upward, takedown with links issued before it failing, the
 * authorisation matrix, and two reviewers deciding at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import type { Actor } from '~/services/authorization.server.ts'
import {
  claimReview,
  decideReview,
  recommendResource,
  restoreResource,
  submitResource,
  takedownResource,
} from '~/services/review/workflow.server.ts'
import { getReviewDossier, latestDecision, listQueue } from '~/services/review/queue.server.ts'
import { featuredFor, selectIntoFeatured } from '~/services/review/featured.server.ts'
import { updateDraft } from '~/services/resources/update-draft.server.ts'
import { downloadResource } from '~/services/engagement/usage.server.ts'
import { parseSearchParams, searchResources } from '~/services/search/search-resources.server.ts'
import { mediaBase } from '~/services/resources/media-grants.server.ts'
import { objectKeys } from '../../storage/keys.ts'
import { storage } from '../../storage/index.ts'
import { search } from '../../search/client.ts'
import { configureResourcesIndex, resourcesIndexUid } from '../../search/resources-index.ts'
import { startWorkers } from '../../workers/runner.ts'
import { queue } from '../../workers/queue.ts'
import { actorByPhone, PHONES, platformBySlug, seedDemo, until, outcomeOf } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let workers: ReturnType<typeof startWorkers>
const APPROVE = {
  outcome: 'APPROVED',
  scores: { SCIENTIFIC: 5, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 3, NORMATIVE: 4 },
}

/** A processed draft owned by a demo user, with a real stored original and a derived file. */
async function draft(phone: string, slug: string, title: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone } })
  const platform = await platformBySlug(slug)
  const r = await prisma.resource.create({
    data: {
      platformId: platform.id,
      ownerId: user.id,
      title,
      description: `${title}：课堂实录与练习`,
      resourceType: 'COURSEWARE',
      kind: 'DOCUMENT',
    },
  })
  const f = await prisma.resourceFile.create({
    data: {
      resourceId: r.id,
      platformId: platform.id,
      role: 'PRIMARY',
      status: 'READY',
      originalName: 'a.pdf',
      size: 5n,
      kind: 'DOCUMENT',
      sha256: 'a'.repeat(64),
    },
  })
  const key = objectKeys.original({ platformId: platform.id, resourceId: r.id, fileId: f.id })
  await storage.put(key, Buffer.from('%PDF-'), { size: 5 })
  await storage.put(
    objectKeys.derived({ platformId: platform.id, resourceId: r.id, fileId: f.id }, 'pages/p1.webp'),
    Buffer.from('RIFF'),
    { size: 4 },
  )
  await prisma.resourceFile.update({ where: { id: f.id }, data: { storageKey: key } })
  await prisma.resourceCurriculum.create({ data: { resourceId: r.id, nodeId: 'jh.math.pep.8b.c2.s1' } })
  return { id: r.id, fileId: f.id, platformId: platform.id }
}

const actors: Record<string, Actor> = {}
async function userWithRole(phone: string, name: string, slug: string, role: 'REVIEWER' | 'PLATFORM_ADMIN') {
  const p = await platformBySlug(slug)
  await prisma.user.upsert({
    where: { phone },
    create: {
      phone,
      displayName: name,
      passwordHash: 'x',
      homePlatformId: p.id,
      roles: { create: [{ platformId: p.id, role }] },
    },
    update: {},
  })
  return actorByPhone(phone)
}

beforeAll(async () => {
  await seedDemo()
  await configureResourcesIndex(resourcesIndexUid())
  server = await startTestServer()
  workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
  Object.assign(actors, {
    owner: await actorByPhone(PHONES.lilingTeacher),
    otherTeacher: await actorByPhone(PHONES.lilingTeacher2),
    reviewer: await actorByPhone(PHONES.lilingReviewer),
    admin: await actorByPhone(PHONES.lilingAdmin),
    childReviewer: await userWithRole('13900000001', '学校审核员', 'll-yizhong', 'REVIEWER'),
    childAdmin: await userWithRole('13900000002', '学校管理员', 'll-yizhong', 'PLATFORM_ADMIN'),
    siblingReviewer: await userWithRole('13900000003', '攸县审核员', 'youxian', 'REVIEWER'),
    siblingAdmin: await userWithRole('13900000004', '攸县管理员', 'youxian', 'PLATFORM_ADMIN'),
    parentReviewer: await actorByPhone(PHONES.zhuzhouReviewer),
    parentAdmin: await userWithRole('13900000005', '株洲管理员', 'zhuzhou', 'PLATFORM_ADMIN'),
    provinceAdmin: await actorByPhone(PHONES.provinceAdmin),
  })
}, 120_000)
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server?.close()
  await search
    .deleteIndex(resourceIndexUidSafe())
    .waitTask()
    .catch(() => {})
})
const resourceIndexUidSafe = () => resourcesIndexUid()

describe('submission, changes requested, resubmission, approval', () => {
  it('goes through the whole loop, keeps versions, shows the reviewer what changed, records turnaround', async () => {
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '勾股定理的证明 评审样例')
    const first = await submitResource(actors.owner!, id)
    expect(first.status).toBe('SUBMITTED')
    const liling = await platformBySlug('liling')
    expect((await listQueue(actors.reviewer!, liling)).map((q) => q.id)).toContain(first.reviewId)
    await expect(updateDraft(actors.owner!, id, { title: '改标题', resourceType: 'COURSEWARE' })).rejects.toMatchObject(
      { messageKey: 'review.error.lockedInReview' },
    )
    await claimReview(actors.reviewer!, first.reviewId!)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('IN_REVIEW')
    await expect(
      decideReview(actors.reviewer!, first.reviewId!, { outcome: 'CHANGES_REQUESTED' }),
    ).rejects.toMatchObject({ messageKey: 'review.error.reasonRequired' })
    await decideReview(actors.reviewer!, first.reviewId!, {
      outcome: 'CHANGES_REQUESTED',
      reasons: ['INCOMPLETE_METADATA'],
      fieldComments: { title: '标题请写明课时', file: '' },
      comment: '请补充课时信息。',
    })
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('CHANGES_REQUESTED')
    const decision = await latestDecision(id)
    expect(decision).toMatchObject({
      outcome: 'CHANGES_REQUESTED',
      reasons: ['INCOMPLETE_METADATA'],
      comments: ['请补充课时信息。'],
      fieldComments: [{ field: 'title', text: '标题请写明课时' }],
    })

    await updateDraft(actors.owner!, id, {
      title: '勾股定理的证明（第1课时）评审样例',
      description: '勾股定理的证明 评审样例：课堂实录与练习',
      resourceType: 'COURSEWARE',
      curriculum: ['jh.math.pep.8b.c2.s1'],
    })
    const second = await submitResource(actors.owner!, id)
    const dossier = await getReviewDossier(actors.reviewer!, second.reviewId!)
    expect(dossier.version?.number).toBe(2)
    expect(dossier.changes).toEqual([
      { field: 'title', before: '勾股定理的证明 评审样例', after: '勾股定理的证明（第1课时）评审样例' },
    ])
    expect(dossier.history.map((h) => h.outcome)).toEqual(['CHANGES_REQUESTED'])
    // Approval needs every criterion scored, and the average at the platform's pass mark.
    await expect(
      decideReview(actors.reviewer!, second.reviewId!, { outcome: 'APPROVED', scores: { SCIENTIFIC: 5 } }),
    ).rejects.toMatchObject({ messageKey: 'review.error.scoreAll' })
    await expect(
      decideReview(actors.reviewer!, second.reviewId!, {
        outcome: 'APPROVED',
        scores: { SCIENTIFIC: 2, EDUCATIONAL: 2, TECHNICAL: 3, ARTISTIC: 2, NORMATIVE: 2 },
      }),
    ).rejects.toMatchObject({ messageKey: 'review.error.belowThreshold' })
    await expect(
      decideReview(actors.reviewer!, second.reviewId!, {
        outcome: 'APPROVED',
        scores: { ...APPROVE.scores, SCIENTIFIC: 9 },
      }),
    ).rejects.toMatchObject({ messageKey: 'review.error.badScore' })
    expect(await decideReview(actors.reviewer!, second.reviewId!, APPROVE)).toMatchObject({
      settled: true,
      outcome: 'APPROVED',
    })
    const r = await prisma.resource.findUniqueOrThrow({ where: { id } })
    expect(r.status).toBe('PUBLISHED')
    expect(r.scopePlatformId).toBe(liling.id)
    const settled = await prisma.review.findUniqueOrThrow({ where: { id: second.reviewId! } })
    expect(settled.turnaroundSeconds).toBeGreaterThanOrEqual(0)
    expect(settled.decidedAt).not.toBeNull()
    expect(await prisma.resourceVersion.count({ where: { resourceId: id } })).toBe(2)
    expect(
      await prisma.auditLog.count({
        where: { targetId: { in: [id, first.reviewId!, second.reviewId!] }, action: { startsWith: 'review.' } },
      }),
    ).toBeGreaterThanOrEqual(7)
    await until(async () =>
      (
        await searchResources(liling, parseSearchParams(new URLSearchParams({ q: '评审样例' })), { facets: false })
      ).hits.some((h) => h.id === id),
    )
  })

  it('a rejection ends it: the resource is not published and says why', async () => {
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '不合格的课件')
    const { reviewId } = await submitResource(actors.owner!, id)
    await decideReview(actors.reviewer!, reviewId!, {
      outcome: 'REJECTED',
      reasons: ['COPYRIGHT', 'POOR_QUALITY'],
      comment: '课件大量使用未授权图片。',
    })
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('REJECTED')
    expect(await latestDecision(id)).toMatchObject({ outcome: 'REJECTED', reasons: ['COPYRIGHT', 'POOR_QUALITY'] })
    await expect(submitResource(actors.owner!, id)).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('a platform that wants two reviewers publishes only when both approve', async () => {
    const liling = await platformBySlug('liling')
    await prisma.platform.update({ where: { id: liling.id }, data: { reviewersNeeded: 2 } })
    try {
      const second = await userWithRole('13900000006', '醴陵第二审核员', 'liling', 'REVIEWER')
      const { id } = await draft(PHONES.lilingTeacher, 'liling', '双人审核样例')
      const { reviewId } = await submitResource(actors.owner!, id)
      expect(await decideReview(actors.reviewer!, reviewId!, APPROVE)).toEqual({ settled: false })
      expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('IN_REVIEW')
      await expect(decideReview(actors.reviewer!, reviewId!, APPROVE)).rejects.toMatchObject({ code: 'CONFLICT' })
      expect(
        await decideReview(second, reviewId!, { outcome: 'CHANGES_REQUESTED', reasons: ['OFF_CURRICULUM'] }),
      ).toMatchObject({ settled: true, outcome: 'CHANGES_REQUESTED' })
      expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('CHANGES_REQUESTED')
    } finally {
      await prisma.platform.update({ where: { id: liling.id }, data: { reviewersNeeded: 1 } })
    }
  })

  it('a platform without review publishes on submission', async () => {
    const school = await platformBySlug('ll-yizhong')
    await prisma.platform.update({ where: { id: school.id }, data: { reviewRequired: false } })
    const teacher = await userWithRole('13900000007', '一中教师', 'll-yizhong', 'REVIEWER')
    await prisma.roleAssignment.create({ data: { userId: teacher.userId, platformId: school.id, role: 'TEACHER' } })
    const { id } = await draft('13900000007', 'll-yizhong', '校本资源 直接发布')
    expect(await submitResource(await actorByPhone('13900000007'), id)).toEqual({ status: 'PUBLISHED', reviewId: null })
  })
})

describe('recommendation upward', () => {
  it('a county reviewer recommends; the city approves; the city and its counties now show it', async () => {
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '推荐样例 勾股树')
    const { reviewId } = await submitResource(actors.owner!, id)
    await decideReview(actors.reviewer!, reviewId!, APPROVE)
    const q = parseSearchParams(new URLSearchParams({ q: '推荐样例' }))
    const [zhuzhou, youxian] = [await platformBySlug('zhuzhou'), await platformBySlug('youxian')]
    await until(async () => (await searchResources(await platformBySlug('liling'), q, { facets: false })).total === 1)
    expect((await searchResources(zhuzhou, q, { facets: false })).total).toBe(0)
    const rec = await recommendResource(actors.reviewer!, id)
    await expect(recommendResource(actors.reviewer!, id)).rejects.toMatchObject({
      messageKey: 'review.error.alreadyRecommended',
    })
    expect((await listQueue(actors.parentReviewer!, zhuzhou)).map((x) => x.id)).toContain(rec.reviewId)
    // The city's queue filters by where an item comes from and how long it has waited.
    const liling = await platformBySlug('liling')
    expect((await listQueue(actors.parentReviewer!, zhuzhou, { from: liling.id })).map((x) => x.id)).toContain(
      rec.reviewId,
    )
    expect((await listQueue(actors.parentReviewer!, zhuzhou, { from: youxian.id })).map((x) => x.id)).not.toContain(
      rec.reviewId,
    )
    expect((await listQueue(actors.parentReviewer!, zhuzhou, { olderThanDays: '1' })).map((x) => x.id)).not.toContain(
      rec.reviewId,
    )
    // The city reviewer can read what they judge, though the city portal does not show it yet.
    expect((await getReviewDossier(actors.parentReviewer!, rec.reviewId)).resource.id).toBe(id)
    await decideReview(actors.parentReviewer!, rec.reviewId, APPROVE)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).scopePlatformId).toBe(zhuzhou.id)
    await until(async () => (await searchResources(zhuzhou, q, { facets: false })).total === 1)
    expect((await searchResources(youxian, q, { facets: false })).total).toBe(1)
    // The province's portal gathers everything published in the province, recommended or not.
    expect((await searchResources(await platformBySlug('hunan'), q, { facets: false })).total).toBe(1)

    // 遴选: the city selects it into a featured collection on its home page; a teacher cannot.
    await expect(
      selectIntoFeatured(actors.otherTeacher!, zhuzhou, id, { newTitle: '勾股定理精品课' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const { collectionId } = await selectIntoFeatured(actors.parentReviewer!, zhuzhou, id, {
      newTitle: '勾股定理精品课',
      description: '株洲市遴选',
    })
    expect(await prisma.selection.count({ where: { platformId: zhuzhou.id, resourceId: id } })).toBe(1)
    const home = await featuredFor({ ...zhuzhou })
    expect(home.find((c) => c.id === collectionId)?.items.map((i) => i.id)).toEqual([id])
    // A sibling county cannot feature what only 醴陵 shows.
    const other = await draft(PHONES.lilingTeacher, 'liling', '只在醴陵展示')
    await decideReview(actors.reviewer!, (await submitResource(actors.owner!, other.id)).reviewId!, APPROVE)
    await expect(
      selectIntoFeatured(actors.siblingAdmin!, youxian, other.id, { newTitle: '攸县专题' }),
    ).rejects.toMatchObject({ messageKey: 'review.error.notInScope' })
    // Taken down, it leaves the home page at once.
    await takedownResource(actors.admin!, id, 'OTHER')
    expect((await featuredFor({ ...zhuzhou })).find((c) => c.id === collectionId)).toBeUndefined()
  })
})

describe('takedown', () => {
  it('unpublishes at once: gone from search and pages; links issued before stop working; restore puts it back', async () => {
    const { id, fileId, platformId } = await draft(PHONES.lilingTeacher, 'liling', '下架样例 弦图')
    const { reviewId } = await submitResource(actors.owner!, id)
    await decideReview(actors.reviewer!, reviewId!, APPROVE)
    const liling = await platformBySlug('liling')
    const q = parseSearchParams(new URLSearchParams({ q: '下架样例' }))
    await until(async () => (await searchResources(liling, q, { facets: false })).total === 1)
    // Links handed out before the takedown: a download and a preview page.
    const download = new URL(
      ((await downloadResource(actors.otherTeacher!, id, liling)) as { url: string }).url,
      server.base,
    )
    const media = `${mediaBase({ platformId, resourceId: id, fileId, kind: 'DOCUMENT' }, 'full', { t: 'public' })}pages/p1.webp`
    const anon = new Browser(server.base)
    expect((await anon.get(download.pathname + download.search)).status).toBe(200)
    expect((await anon.get(media)).status).toBe(200)
    expect((await anon.get(`/p/liling/r/${id}`)).status).toBe(200)

    await expect(takedownResource(actors.reviewer!, id, 'COPYRIGHT')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(takedownResource(actors.admin!, id, 'because')).rejects.toMatchObject({ code: 'VALIDATION' })
    const t0 = Date.now()
    await takedownResource(actors.admin!, id, 'COPYRIGHT', '权利人投诉')
    expect((await anon.get(`/p/liling/r/${id}`)).status).toBe(404)
    await until(async () => (await searchResources(liling, q, { facets: false })).total === 0)
    await until(
      async () =>
        (await anon.get(download.pathname + download.search)).status === 403 && (await anon.get(media)).status === 403,
      60_000,
    )
    expect(Date.now() - t0).toBeLessThan(60_000)
    await expect(downloadResource(actors.otherTeacher!, id, liling)).rejects.toMatchObject({ code: 'NOT_FOUND' })

    await restoreResource(actors.admin!, id)
    await until(async () => (await searchResources(liling, q, { facets: false })).total === 1)
    expect((await anon.get(`/p/liling/r/${id}`)).status).toBe(200)
    expect(
      await prisma.auditLog.count({
        where: { targetId: id, action: { in: ['resource.takedown', 'resource.restore'] } },
      }),
    ).toBe(2)
  })
})

describe('authorisation matrix', () => {
  // Who may do what to a resource of 醴陵 (a county): its own people, a school below it (child),
  // 攸县 (sibling), 株洲 (parent), and the province admin.
  const ALLOWED: Record<string, string[]> = {
    submit: ['owner'],
    claim: ['reviewer'],
    approve: ['reviewer'],
    requestChanges: ['reviewer'],
    reject: ['reviewer'],
    takedown: ['admin', 'parentAdmin', 'provinceAdmin'],
    restore: ['admin', 'parentAdmin', 'provinceAdmin'],
    recommend: ['reviewer'],
    decideRecommendation: ['parentReviewer'],
  }
  const published = async (title: string) => {
    const d = await draft(PHONES.lilingTeacher, 'liling', title)
    const { reviewId } = await submitResource(actors.owner!, d.id)
    await decideReview(actors.reviewer!, reviewId!, APPROVE)
    return d.id
  }
  const attempts: Record<string, (who: Actor) => Promise<unknown>> = {
    submit: async (who) => submitResource(who, (await draft(PHONES.lilingTeacher, 'liling', '矩阵 提交')).id),
    claim: async (who) =>
      claimReview(
        who,
        (await submitResource(actors.owner!, (await draft(PHONES.lilingTeacher, 'liling', '矩阵 认领')).id)).reviewId!,
      ),
    approve: async (who) =>
      decideReview(
        who,
        (await submitResource(actors.owner!, (await draft(PHONES.lilingTeacher, 'liling', '矩阵 通过')).id)).reviewId!,
        APPROVE,
      ),
    requestChanges: async (who) =>
      decideReview(
        who,
        (await submitResource(actors.owner!, (await draft(PHONES.lilingTeacher, 'liling', '矩阵 修改')).id)).reviewId!,
        { outcome: 'CHANGES_REQUESTED', reasons: ['OTHER'] },
      ),
    reject: async (who) =>
      decideReview(
        who,
        (await submitResource(actors.owner!, (await draft(PHONES.lilingTeacher, 'liling', '矩阵 不通过')).id))
          .reviewId!,
        { outcome: 'REJECTED', reasons: ['OTHER'] },
      ),
    takedown: async (who) => takedownResource(who, await published('矩阵 下架'), 'OTHER'),
    restore: async (who) => {
      const id = await published('矩阵 恢复')
      await takedownResource(actors.admin!, id, 'OTHER')
      return restoreResource(who, id)
    },
    recommend: async (who) => recommendResource(who, await published('矩阵 推荐')),
    decideRecommendation: async (who) =>
      decideReview(
        who,
        (await recommendResource(actors.reviewer!, await published('矩阵 上级审核'))).reviewId,
        APPROVE,
      ),
  }
  for (const [transition, allowed] of Object.entries(ALLOWED)) {
    it(`${transition}: only ${allowed.join(', ')}`, async () => {
      const results: Record<string, string> = {}
      for (const [name, who] of Object.entries(actors)) results[name] = await outcomeOf(attempts[transition]!(who))
      // Everyone not listed is refused, the owner included (never judging their own work).
      expect(results).toEqual(
        Object.fromEntries(Object.keys(actors).map((n) => [n, allowed.includes(n) ? 'OK' : 'FORBIDDEN'])),
      )
    }, 120_000)
  }

  it('nobody approves their own submission, even a reviewer who uploaded it', async () => {
    const reviewerAsUploader = actors.reviewer!
    await prisma.roleAssignment.upsert({
      where: {
        userId_platformId_role: {
          userId: reviewerAsUploader.userId,
          platformId: (await platformBySlug('liling')).id,
          role: 'TEACHER',
        },
      },
      create: { userId: reviewerAsUploader.userId, platformId: (await platformBySlug('liling')).id, role: 'TEACHER' },
      update: {},
    })
    const { id } = await draft(PHONES.lilingReviewer, 'liling', '审核员自己的课件')
    const { reviewId } = await submitResource(await actorByPhone(PHONES.lilingReviewer), id)
    await expect(decideReview(await actorByPhone(PHONES.lilingReviewer), reviewId!, APPROVE)).rejects.toMatchObject({
      messageKey: 'review.error.ownSubmission',
    })
    await expect(claimReview(await actorByPhone(PHONES.lilingReviewer), reviewId!)).rejects.toMatchObject({
      messageKey: 'review.error.ownSubmission',
    })
  })
})

describe('two reviewers at the same moment', () => {
  it('produce one consistent outcome', async () => {
    const second = await userWithRole('13900000008', '醴陵另一位审核员', 'liling', 'REVIEWER')
    for (let round = 0; round < 5; round++) {
      const { id } = await draft(PHONES.lilingTeacher, 'liling', `并发审核 ${round}`)
      const { reviewId } = await submitResource(actors.owner!, id)
      const [a, b] = await Promise.allSettled([
        decideReview(actors.reviewer!, reviewId!, APPROVE),
        decideReview(second, reviewId!, { outcome: 'REJECTED', reasons: ['POOR_QUALITY'] }),
      ])
      const ok = [a, b].filter((x) => x.status === 'fulfilled')
      const refused = [a, b].filter((x) => x.status === 'rejected') as PromiseRejectedResult[]
      expect(ok).toHaveLength(1)
      expect(refused).toHaveLength(1)
      expect(refused[0]!.reason).toMatchObject({ code: 'CONFLICT' })
      const review = await prisma.review.findUniqueOrThrow({ where: { id: reviewId! }, include: { decisions: true } })
      expect(review.decisions.filter((d) => d.decidedAt)).toHaveLength(1)
      const status = (await prisma.resource.findUniqueOrThrow({ where: { id } })).status
      expect(status).toBe(review.outcome === 'APPROVED' ? 'PUBLISHED' : 'REJECTED')
    }
  })
})

describe('the audit trail', () => {
  it('is filterable, readable by admins and the regulator only, and exports to CSV', async () => {
    const { queryAuditLog, auditCsv } = await import('~/services/platform/audit-query.server.ts')
    const liling = await platformBySlug('liling')
    const hunan = await platformBySlug('hunan')
    const reviews = await queryAuditLog(actors.admin!, liling.id, { group: 'review' })
    expect(reviews.rows.length).toBeGreaterThan(0)
    expect(reviews.rows.every((r) => r.action.startsWith('review.'))).toBe(true)
    const byReviewer = await queryAuditLog(actors.admin!, liling.id, { group: 'review', actor: '冯涛' })
    expect(byReviewer.rows.length).toBeGreaterThan(0) // 冯涛 has decided reviews in the tests above
    expect(byReviewer.rows.filter((r) => r.actorName !== '冯涛')).toEqual([])
    expect(reviews.rows.some((r) => r.actorName !== '冯涛')).toBe(true) // …which the filter left out
    expect((await queryAuditLog(actors.admin!, liling.id, { from: '2000-01-01', to: '2000-01-02' })).rows).toEqual([])
    await expect(queryAuditLog(actors.admin!, liling.id, { from: '2026-13-45' })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    // The province's regulator reads every platform's trail below it; a reviewer reads none.
    expect(
      (await queryAuditLog(await actorByPhone(PHONES.regulator), hunan.id, { group: 'resource' })).rows.some(
        (r) => r.action === 'resource.takedown',
      ),
    ).toBe(true)
    await expect(queryAuditLog(actors.reviewer!, liling.id, {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
    let csv = ''
    for await (const chunk of auditCsv(actors.admin!, liling.id, { group: 'review' }, ['编号', '时间', '操作']))
      csv += chunk
    expect(csv.startsWith('\uFEFF')).toBe(true) // so that spreadsheet programs read UTF-8
    const lines = csv.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('"编号","时间","操作"')
    expect(lines.length - 1).toBeGreaterThanOrEqual(reviews.rows.length)
    expect(lines.slice(1).every((l) => /^"\d+","\d{4}-/.test(l))).toBe(true)
    // The table is append-only: the database itself refuses to change history.
    await expect(
      prisma.$executeRawUnsafe(`UPDATE "AuditLog" SET action = 'x' WHERE id = ${reviews.rows[0]!.id}`),
    ).rejects.toThrow()
  })
})

describe('notifications', () => {
  it('tell the submitter, the reviewers and the recommender what happened, in the bell and by e-mail', async () => {
    const { renderNotification, unreadCount } = await import('~/services/notifications/notify.server.ts')
    const { translator } = await import('~/lib/i18n/index.ts')
    const t = translator('zh-CN')
    const before = await unreadCount(actors.owner!.userId)
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '通知样例')
    const { reviewId } = await submitResource(actors.owner!, id)
    const mine = () =>
      prisma.notification.findMany({ where: { userId: actors.owner!.userId }, orderBy: { createdAt: 'desc' } })
    expect((await mine())[0]).toMatchObject({ kind: 'review.submitted', link: `/p/liling/r/${id}` })
    expect(
      await prisma.notification.count({
        where: {
          userId: actors.reviewer!.userId,
          kind: 'review.received',
          params: { path: ['title'], equals: '通知样例' },
        },
      }),
    ).toBe(1)
    await decideReview(actors.reviewer!, reviewId!, APPROVE)
    const decided = (await mine())[0]!
    expect(decided.kind).toBe('review.decided')
    expect(renderNotification(t, decided.kind, decided.params as Record<string, string>)).toBe(
      '「通知样例」的审核结论：通过，已发布。',
    )
    expect(await unreadCount(actors.owner!.userId)).toBe(before + 2)
    // E-mails go out through the outbox to those with an address (陈晓梅 has one).
    const mails = await prisma.jobOutbox.findMany({
      where: { jobName: 'message.send' },
      orderBy: { id: 'desc' },
      take: 20,
    })
    expect(
      mails.some(
        (m) =>
          (m.payload as { to: string; subject: string }).to === 'chenxm@liling.demo' &&
          (m.payload as { subject: string }).subject === '审核结论：通知样例',
      ),
    ).toBe(true)
    // A recommendation accepted tells the owner and the reviewer who recommended it.
    const rec = await recommendResource(actors.reviewer!, id)
    // (The city reviewer has received other recommendations in the tests above: count this one.)
    expect(
      await prisma.notification.count({
        where: {
          userId: actors.parentReviewer!.userId,
          kind: 'review.received',
          params: { path: ['title'], equals: '通知样例' },
        },
      }),
    ).toBe(1)
    await decideReview(actors.parentReviewer!, rec.reviewId, APPROVE)
    for (const u of [actors.owner!, actors.reviewer!])
      expect(
        await prisma.notification.count({
          where: {
            userId: u.userId,
            kind: 'review.recommendationAccepted',
            params: { path: ['title'], equals: '通知样例' },
          },
        }),
      ).toBe(1)
  })
})

describe('content safety', () => {
  it('sensitive words (the platform’s and those above) hold comments for moderators and flag metadata', async () => {
    const { updateSensitiveWords } = await import('~/services/safety/sensitive-words.server.ts')
    const { addComment, listComments, listReportedComments, dismissReports } =
      await import('~/services/engagement/comments.server.ts')
    const [hunan, liling] = [await platformBySlug('hunan'), await platformBySlug('liling')]
    await expect(updateSensitiveWords(actors.owner!, liling.id, '外挂')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await updateSensitiveWords(actors.provinceAdmin!, hunan.id, '赌博，代写论文')
    await updateSensitiveWords(actors.admin!, liling.id, '外挂\n刷分')
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '概率初步 课件')
    await decideReview(actors.reviewer!, (await submitResource(actors.owner!, id)).reviewId!, APPROVE)
    const res = await prisma.resource.findUniqueOrThrow({ where: { id }, include: { platform: true } })
    // Spaces and dots put in to dodge the list do not help.
    const held = await addComment(actors.otherTeacher!, id, liling, '这个可以用来 赌.博 吗')
    expect(held.status).toBe('HIDDEN')
    expect((await prisma.comment.findUniqueOrThrow({ where: { id: held.id } })).flaggedWords).toEqual(['赌博'])
    expect((await listComments(actors.otherTeacher!, res)).comments.find((c) => c.id === held.id)?.pending).toBe(true)
    expect((await listComments(actors.owner!, res)).comments.map((c) => c.id)).not.toContain(held.id)
    const queueItem = (await listReportedComments(actors.reviewer!, liling)).find((c) => c.id === held.id)
    expect(queueItem).toMatchObject({ held: true, flaggedWords: ['赌博'] })
    await dismissReports(actors.reviewer!, held.id)
    expect((await listComments(actors.owner!, res)).comments.map((c) => c.id)).toContain(held.id)
    expect((await addComment(actors.otherTeacher!, id, liling, '讲得很清楚')).status).toBe('VISIBLE')
    // Metadata with a sensitive word is flagged in the reviewer's dossier.
    const flagged = await draft(PHONES.lilingTeacher, 'liling', '游戏外挂与概率')
    const { reviewId } = await submitResource(actors.owner!, flagged.id)
    expect((await getReviewDossier(actors.reviewer!, reviewId!)).flags.map((f) => f.key)).toContain(
      'review.flag.sensitive',
    )
  })

  it('a reported resource is kept or taken down by the platform, and the reporters are told', async () => {
    const { reportResource, listReportedResources, handleResourceReports } =
      await import('~/services/safety/resource-reports.server.ts')
    const liling = await platformBySlug('liling')
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '被举报的课件')
    await decideReview(actors.reviewer!, (await submitResource(actors.owner!, id)).reviewId!, APPROVE)
    await reportResource(actors.otherTeacher!, id, liling, 'COPYRIGHT', '第 3 页的图片来自某出版社')
    await expect(reportResource(actors.otherTeacher!, id, liling, 'COPYRIGHT', '')).rejects.toMatchObject({
      messageKey: 'safety.error.alreadyReported',
    })
    await expect(reportResource(actors.otherTeacher!, id, liling, 'NOT_A_REASON', '')).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(reportResource(null, id, liling, 'SPAM', '')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect((await listReportedResources(actors.reviewer!, liling)).find((r) => r.id === id)).toMatchObject({
      count: 1,
      reasons: ['COPYRIGHT'],
    })
    await expect(listReportedResources(actors.otherTeacher!, liling)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await handleResourceReports(actors.reviewer!, id, 'KEEP', '')
    expect(
      await prisma.notification.count({
        where: {
          userId: actors.otherTeacher!.userId,
          kind: 'report.handled',
          params: { path: ['outcome'], equals: 'RESOURCE_KEPT' },
        },
      }),
    ).toBe(1)
    await reportResource(actors.otherTeacher!, id, liling, 'COPYRIGHT', '权利人来函')
    // A reviewer cannot take a resource down; the admin can, and the report closes with it.
    await expect(handleResourceReports(actors.reviewer!, id, 'TAKEDOWN', 'COPYRIGHT')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await handleResourceReports(actors.admin!, id, 'TAKEDOWN', 'COPYRIGHT')
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('TAKEN_DOWN')
    expect(await prisma.resourceReport.count({ where: { resourceId: id, handledAt: null } })).toBe(0)
  })
})

describe('推送', () => {
  it('reaches the chosen schools and roles, and nobody else', async () => {
    const { pushToAudience, pushesFor } = await import('~/services/review/push.server.ts')
    const [liling, school, youxian] = [
      await platformBySlug('liling'),
      await platformBySlug('ll-yizhong'),
      await platformBySlug('youxian'),
    ]
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '推送样例 复习提纲')
    await decideReview(actors.reviewer!, (await submitResource(actors.owner!, id)).reviewId!, APPROVE)
    const schoolTeacher = await userWithRole('13900000009', '一中数学教师', 'll-yizhong', 'REVIEWER')
    await prisma.roleAssignment.create({
      data: { userId: schoolTeacher.userId, platformId: school.id, role: 'TEACHER' },
    })
    const pupil = await actorByPhone('13800000035') // 杨帆, a 醴陵 student
    await expect(
      pushToAudience(actors.owner!, liling, { resourceId: id, platformIds: [school.id] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      pushToAudience(actors.admin!, liling, { resourceId: id, platformIds: [youxian.id] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await pushToAudience(actors.admin!, liling, {
      resourceId: id,
      platformIds: [school.id],
      roles: ['TEACHER'],
      note: '请各位老师复习课参考',
    })
    const titles = async (a: Actor) =>
      (
        await pushesFor(
          await actorByPhone(await prisma.user.findUniqueOrThrow({ where: { id: a.userId } }).then((u) => u.phone!)),
        )
      ).map((p) => p.title)
    expect(await titles(schoolTeacher)).toContain('推送样例 复习提纲')
    expect(await titles(actors.owner!)).not.toContain('推送样例 复习提纲') // a 醴陵 teacher, not at the school
    expect(await titles(pupil)).not.toContain('推送样例 复习提纲')
    await pushToAudience(actors.admin!, liling, { resourceId: id, roles: ['STUDENT'] })
    expect(await titles(pupil)).toContain('推送样例 复习提纲')
    // A whole 专题 can be pushed too.
    const { collectionId } = await selectIntoFeatured(actors.admin!, liling, id, { newTitle: '醴陵复习专题' })
    await pushToAudience(actors.admin!, liling, { collectionId, platformIds: [school.id] })
    expect(await titles(schoolTeacher)).toContain('醴陵复习专题')
    await expect(pushToAudience(actors.admin!, liling, { collectionId: 'nonexistent00' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    // 株洲 cannot push what its portal does not show.
    await expect(
      pushToAudience(actors.parentAdmin!, await platformBySlug('zhuzhou'), { resourceId: id }),
    ).rejects.toMatchObject({ messageKey: 'review.error.notInScope' })
  })
})

describe('assignment', () => {
  it('an admin assigns a review to one of the platform\u2019s reviewers, who is told', async () => {
    const { assignReview } = await import('~/services/review/workflow.server.ts')
    const liling = await platformBySlug('liling')
    const { id } = await draft(PHONES.lilingTeacher, 'liling', '指派样例')
    const { reviewId } = await submitResource(actors.owner!, id)
    expect((await listQueue(actors.admin!, liling)).map((q) => q.id)).toContain(reviewId)
    await expect(assignReview(actors.otherTeacher!, reviewId!, actors.reviewer!.userId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(assignReview(actors.admin!, reviewId!, actors.otherTeacher!.userId)).rejects.toMatchObject({
      messageKey: 'review.error.notAReviewer',
    })
    await expect(assignReview(actors.siblingAdmin!, reviewId!, actors.reviewer!.userId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await assignReview(actors.admin!, reviewId!, actors.reviewer!.userId)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).status).toBe('IN_REVIEW')
    expect(
      await prisma.notification.count({
        where: {
          userId: actors.reviewer!.userId,
          kind: 'review.assigned',
          params: { path: ['title'], equals: '指派样例' },
        },
      }),
    ).toBe(1)
    // The place is taken: another reviewer cannot decide it on a one-reviewer platform.
    const other = await userWithRole('13900000010', '醴陵第三审核员', 'liling', 'REVIEWER')
    await expect(decideReview(other, reviewId!, APPROVE)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await decideReview(actors.reviewer!, reviewId!, APPROVE)).toMatchObject({ settled: true })
  })
})

describe('review rules', () => {
  it('are set by the platform\u2019s admins only, and checked', async () => {
    const { updateReviewRules } = await import('~/services/review/rules-config.server.ts')
    const school = await platformBySlug('ll-yizhong')
    const rules = {
      reviewRequired: true,
      reviewersNeeded: 2,
      reviewCriteria: ['SCIENTIFIC', 'EDUCATIONAL'],
      reviewPassScore: 4,
    }
    await expect(updateReviewRules(actors.reviewer!, school.id, rules)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      updateReviewRules(actors.childAdmin!, school.id, { ...rules, reviewersNeeded: 3 }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(
      updateReviewRules(actors.childAdmin!, school.id, { ...rules, reviewCriteria: ['BEAUTY'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await updateReviewRules(actors.childAdmin!, school.id, rules)
    expect(
      await prisma.platform.findUniqueOrThrow({
        where: { id: school.id },
        select: { reviewRequired: true, reviewersNeeded: true, reviewCriteria: true, reviewPassScore: true },
      }),
    ).toEqual(rules)
  })
})
