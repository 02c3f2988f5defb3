/**
 * Catalogue search against real PostgreSQL, Redis (the outbox and the worker) and Meilisearch:
 * scope (only published resources, and only where the portal may show them), refusal of hostile
 * parameters, the outbox keeping the index in step, reindex with swap and the drift check, and
 * engagement (ratings, comments, collections, counts once per user per day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import {
  parseSearchParams,
  relatedResources,
  searchResources,
  type SearchQuery,
} from '~/services/search/search-resources.server.ts'
import { decideReview, submitResource, submitRevision } from '~/services/review/workflow.server.ts'
import { updateDraft } from '~/services/resources/update-draft.server.ts'
import { rateResource } from '~/services/engagement/ratings.server.ts'
import {
  addComment,
  dismissReports,
  hideComment,
  listComments,
  listReportedComments,
  reportComment,
} from '~/services/engagement/comments.server.ts'
import { addToCollection, listMyCollections } from '~/services/engagement/collections.server.ts'
import { downloadResource, recordView } from '~/services/engagement/usage.server.ts'
import { getResourceView } from '~/services/resources/resource-view.server.ts'
import { syncResources, reconcileResources, reindexResources, resourcesIndexUid } from '../../search/resources-index.ts'
import { search } from '../../search/client.ts'
import { seedCorpus } from '../../scripts/catalogue/generate.ts'
import { startWorkers } from '../../workers/runner.ts'
import { queue } from '../../workers/queue.ts'
import { actorByPhone, DEMO_PASSWORD, PHONES, platformBySlug, seedDemo, until } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let workers: ReturnType<typeof startWorkers>
const q = (params: Record<string, string> = {}) => parseSearchParams(new URLSearchParams(params))
const ids = async (slug: string, query: SearchQuery = q()) =>
  (await searchResources(await platformBySlug(slug), query, { facets: false })).hits.map((h) => h.id)
const inIndex = async (id: string) =>
  await search
    .index(resourcesIndexUid())
    .getDocument(id)
    .then(() => true)
    .catch(() => false)

const APPROVE = {
  outcome: 'APPROVED',
  scores: { SCIENTIFIC: 4, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 4, NORMATIVE: 4 },
}
/** Publishes a draft the way it happens: its owner submits, a reviewer of its platform approves. */
async function publish(id: string) {
  const r = await prisma.resource.findUniqueOrThrow({ where: { id }, select: { ownerId: true, platformId: true } })
  const owner = await prisma.user.findUniqueOrThrow({ where: { id: r.ownerId }, select: { phone: true } })
  const { reviewId } = await submitResource(await actorByPhone(owner.phone!), id)
  const reviewer = await prisma.roleAssignment.findFirstOrThrow({
    where: { platformId: r.platformId, role: 'REVIEWER' },
    select: { user: { select: { phone: true } } },
  })
  await decideReview(await actorByPhone(reviewer.user.phone!), reviewId!, APPROVE)
}

/** A draft with a processed primary file, owned by a demo user on a platform. */
async function draft(
  phone: string,
  slug: string,
  title: string,
  { node = 'jh.math.pep.8b.c2.s1', ...extra }: { licence?: string; priceCents?: number; node?: string } = {},
) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone } })
  const platform = await platformBySlug(slug)
  const r = await prisma.resource.create({
    data: {
      platformId: platform.id,
      ownerId: user.id,
      title,
      description: `${title}的说明：课堂讲解与练习`,
      resourceType: 'COURSEWARE',
      kind: 'DOCUMENT',
      ...extra,
    },
  })
  await prisma.resourceFile.create({
    data: {
      resourceId: r.id,
      platformId: platform.id,
      role: 'PRIMARY',
      status: 'READY',
      originalName: 'a.pdf',
      size: 10n,
      kind: 'DOCUMENT',
      storageKey: `originals/${platform.id}/${r.id}/f${r.id}`,
      textContent: `${title} 正文`,
    },
  })
  await prisma.resourceCurriculum.create({ data: { resourceId: r.id, nodeId: node } })
  return r.id
}

beforeAll(async () => {
  await seedDemo()
  // 长沙县 has no reviewer in the demo data; give it one so its resources can be published.
  const csx = await platformBySlug('changshaxian')
  await prisma.user.create({
    data: {
      phone: '13900000011',
      displayName: '长沙县审核员',
      passwordHash: 'x',
      homePlatformId: csx.id,
      roles: { create: [{ platformId: csx.id, role: 'REVIEWER' }] },
    },
  })
  await seedCorpus(prisma)
  await reindexResources()
  server = await startTestServer()
  workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
}, 120_000)
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server?.close()
  await search
    .deleteIndex(resourcesIndexUid())
    .waitTask()
    .catch(() => {})
})

describe('scope: what a portal may show', () => {
  it('never returns unpublished resources, and only shows a published one where its scope reaches', async () => {
    const unpublished = await draft(PHONES.lilingTeacher, 'liling', '范围测试草稿 勾股树')
    const own = await draft(PHONES.lilingTeacher, 'liling', '范围测试已发布 勾股树')
    const other = await draft(PHONES.changshaxianTeacher, 'changshaxian', '范围测试长沙县 勾股树')
    await publish(own)
    await publish(other)
    // Even if a sync job were run for the draft, it has no document: syncing is by state.
    await syncResources([unpublished, own, other])
    const query = q({ q: '勾股树' })
    expect(await ids('liling', query)).toEqual([own])
    expect(await ids('ll-yizhong', query)).toEqual([own]) // a school below Liling sees Liling's
    expect(await ids('zhuzhou', query)).toEqual([]) // the parent city does not, until recommended upward
    expect(await ids('youxian', query)).toEqual([]) // nor a sibling county
    expect(await ids('changshaxian', query)).toEqual([other])
    expect(await ids('changsha', query)).toEqual([])
    // The province's portal gathers everything published in the province; never the draft.
    expect((await ids('hunan', query)).sort()).toEqual([own, other].sort())
    // Province-wide resources (the hand-written corpus) show on every portal, premium with its price.
    for (const slug of ['liling', 'changshaxian', 'hunan', 'xtx-yizhong'])
      expect((await ids(slug, q({ q: '勾股定理的逆定理' }))).length).toBeGreaterThan(0)
    const premium = (await searchResources(await platformBySlug('liling'), q({ price: 'UNDER_50' }), { facets: false }))
      .hits
    expect(premium.length).toBeGreaterThan(0)
    expect(premium.every((h) => h.premium && h.price > 1_000 && h.price <= 5_000)).toBe(true)
    expect(premium.map((h) => h.title)).toContain('高考物理一轮复习：力与运动 精品课程')
    // The resource page agrees with search: the draft and the other county's are not found here.
    const anon = new Browser(server.base)
    expect((await anon.get(`/p/liling/r/${unpublished}`)).status).toBe(404)
    expect((await anon.get(`/p/liling/r/${other}`)).status).toBe(404)
    expect((await anon.get(`/p/liling/r/${own}`)).status).toBe(200)
    expect((await anon.get(`/p/changshaxian/r/${other}`)).status).toBe(200)
  })

  it('related resources: the same chapter (other sections too), never another chapter, never itself', async () => {
    const a = await draft(PHONES.lilingTeacher, 'liling', '相关测试甲', { node: 'jh.math.pep.8b.c2.s1' })
    const b = await draft(PHONES.lilingTeacher, 'liling', '相关测试乙', { node: 'jh.math.pep.8b.c2.s2' })
    const c = await draft(PHONES.lilingTeacher, 'liling', '相关测试丙', { node: 'jh.math.pep.8b.c3.s1' })
    const hidden = await draft(PHONES.lilingTeacher, 'liling', '相关测试草稿', { node: 'jh.math.pep.8b.c2.s2' })
    for (const id of [a, b, c]) await publish(id)
    await syncResources([a, b, c, hidden])
    const portal = await platformBySlug('liling')
    const related = (await relatedResources(portal, { id: a, nodeIds: ['jh.math.pep.8b.c2.s1'] }, 100)).map((h) => h.id)
    expect(related).toContain(b)
    expect(related).not.toContain(a)
    expect(related).not.toContain(c)
    expect(related).not.toContain(hidden)
    // A position on the chapter itself relates the same way; one on the volume stays as wide as the volume.
    expect((await relatedResources(portal, { id: a, nodeIds: ['jh.math.pep.8b.c2'] }, 100)).map((h) => h.id)).toContain(
      b,
    )
    expect((await relatedResources(portal, { id: a, nodeIds: ['jh.math.pep.8b'] }, 100)).map((h) => h.id)).toEqual(
      expect.arrayContaining([b, c]),
    )
  })

  it('refuses hostile and malformed parameters with a 400 and a message, in the service and over HTTP', () => {
    const hostile: Record<string, string>[] = [
      { subject: 'math" OR scopeId EXISTS' },
      { subject: 'math OR 1=1' },
      { filter: 'scopeId EXISTS' },
      { scope: 'all' },
      { type: 'COURSEWARE", "x' },
      { node: 'jh.math" OR nodes EXISTS OR "' },
      { platform: 'x" OR platformId != "y' },
      { sort: 'title:asc' },
      { rating: '5 OR 1' },
      { page: '999999' },
      { page: '-1' },
      { price: 'FREE OR premium = true' },
      { q: '勾'.repeat(101) },
    ]
    for (const p of hostile) {
      const e = (() => {
        try {
          parseSearchParams(new URLSearchParams(p))
          return null
        } catch (err) {
          return err
        }
      })()
      expect(isAppError(e), JSON.stringify(p)).toBe(true)
      expect((e as { status: number }).status).toBe(400)
    }
    // Repeated single-valued parameters are refused too.
    expect(() => parseSearchParams(new URLSearchParams('sort=newest&sort=rating'))).toThrow()
  })

  it('answers hostile URLs with a 400 page or JSON error that says what is wrong, in Chinese', async () => {
    const anon = new Browser(server.base)
    const page = await anon.get(`/p/liling/resources?subject=${encodeURIComponent('math" OR scopeId EXISTS')}`)
    expect(page.status).toBe(400)
    const html = await page.text()
    expect(html).toContain('搜索条件“subject”的取值不正确')
    const api = await anon.get(`/p/liling/api/search?filter=${encodeURIComponent('scopeId EXISTS')}`)
    expect(api.status).toBe(400)
    expect(((await api.json()) as { error: string }).error).toContain('不认识的搜索条件“filter”')
    const ok = await anon.get(
      '/p/liling/api/search?q=%E5%8B%BE%E8%82%A1%E5%AE%9A%E7%90%86&type=MICRO_LECTURE&sort=rating',
    )
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { total: number; hits: { type: string }[] }
    expect(body.total).toBeGreaterThan(0)
    expect(body.hits.every((h) => h.type === 'MICRO_LECTURE')).toBe(true)
  })
})

describe('the outbox keeps the index in step', () => {
  it('publishing, editing and rating reach search through the worker; deleting leaves it; replays are harmless', async () => {
    const owner = await actorByPhone(PHONES.lilingTeacher)
    const id = await draft(PHONES.lilingTeacher, 'liling', '同步测试 弦图拼接')
    await publish(id)
    expect(await prisma.jobOutbox.count({ where: { jobName: 'search.sync' } })).toBeGreaterThan(0)
    await until(() => inIndex(id))
    // 醴陵 reviews changes to what it has published: the edit goes live once approved.
    const edited = await updateDraft(owner, id, {
      title: '同步测试 弦图拼接（修订）',
      resourceType: 'MICRO_LECTURE',
      curriculum: ['jh.math.pep.8b.c2.s1'],
      keywords: '弦图',
    })
    expect(edited.pending).toBe(true)
    const { reviewId } = await submitRevision(owner, id)
    await decideReview(await actorByPhone(PHONES.lilingReviewer), reviewId!, APPROVE)
    await until(async () => (await ids('liling', q({ q: '弦图拼接', type: 'MICRO_LECTURE' }))).includes(id))
    await rateResource(await actorByPhone(PHONES.lilingTeacher2), id, await platformBySlug('liling'), 5)
    await until(async () => (await ids('liling', q({ q: '弦图拼接', rating: '4' }))).includes(id))
    // Replaying a sync (as a retried job would) changes nothing.
    await syncResources([id])
    await syncResources([id])
    expect((await ids('liling', q({ q: '弦图拼接' }))).filter((x) => x === id)).toHaveLength(1)
    // A resource that leaves PUBLISHED leaves the index on the next sync.
    await prisma.$transaction(async (tx) => {
      await tx.resource.update({ where: { id }, data: { status: 'DELETED' } })
      const { queueSearchSync } = await import('~/services/search/sync.server.ts')
      await queueSearchSync(tx, [id])
    })
    await until(async () => !(await inIndex(id)))
  })
})

describe('reindex and drift', () => {
  it('rebuilds into a fresh index, swaps it in while searches keep answering, and reports and fixes drift', async () => {
    const before = await reconcileResources()
    expect(before.missing).toEqual([])
    expect(before.extra).toEqual([])
    // Searches keep answering during the rebuild.
    let answered = 0
    let failed = 0
    let rebuilding = true
    const probe = (async () => {
      while (rebuilding) {
        await searchResources(await platformBySlug('liling'), q({ q: '二次函数' }), { facets: false }).then(
          (r) => (r.total > 0 ? answered++ : failed++),
          () => failed++,
        )
      }
    })()
    const report = await reindexResources()
    rebuilding = false
    await probe
    expect(report.documents).toBe(before.database)
    expect(answered).toBeGreaterThan(0)
    expect(failed).toBe(0)
    expect(
      (await search.getIndexes({ limit: 1000 })).results
        .map((i) => i.uid)
        .filter((u) => u.startsWith(resourcesIndexUid())),
    ).toEqual([resourcesIndexUid()])
    // Make drift of every kind behind the outbox's back.
    const index = search.index(resourcesIndexUid())
    // Two resources of this test's own, so that other tests' fixtures stay as they were.
    const [a, b] = [
      await draft(PHONES.lilingTeacher, 'liling', '漂移测试 甲'),
      await draft(PHONES.lilingTeacher, 'liling', '漂移测试 乙'),
    ]
    for (const id of [a!, b!]) await publish(id)
    // Let the worker's own sync jobs land first, so that they cannot repair the drift below.
    await until(async () => (await inIndex(a!)) && (await inIndex(b!)))
    await new Promise((r) => setTimeout(r, 500))
    await index.deleteDocuments([a!]).waitTask()
    await index.addDocuments([{ id: 'ghost00000001', title: '不存在的资源', scopeId: 'x', updatedAt: 0 }]).waitTask()
    await prisma.resource.update({ where: { id: b! }, data: { title: '悄悄改过的标题' } })
    const drift = await reconcileResources()
    expect(drift.missing).toEqual([a])
    expect(drift.extra).toEqual(['ghost00000001'])
    expect(drift.stale).toEqual([b])
    await reconcileResources({ fix: true })
    const after = await reconcileResources()
    expect([after.missing, after.extra, after.stale]).toEqual([[], [], []])
  })
})

describe('engagement', () => {
  it('ratings: one per user, changeable, 1–5 only; the average follows', async () => {
    const portal = await platformBySlug('liling')
    const id = (await prisma.resource.findFirstOrThrow({ where: { title: '数轴 微课' } })).id
    const t1 = await actorByPhone(PHONES.lilingTeacher)
    const t2 = await actorByPhone(PHONES.lilingTeacher2)
    await prisma.rating.deleteMany({ where: { resourceId: id } })
    await rateResource(t1, id, portal, 2)
    await rateResource(t1, id, portal, 4) // changed, not added
    const r = await rateResource(t2, id, portal, 5)
    expect(r).toMatchObject({ ratingCount: 2, ratingAvg: 4.5 })
    for (const bad of [0, 6, 3.5, 'x', -1])
      await expect(rateResource(t1, id, portal, bad)).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(rateResource(null, id, portal, 3)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('comments: hostile text is cleaned or refused, reports queue once per person, a moderator hides', async () => {
    const portal = await platformBySlug('liling')
    const res = await prisma.resource.findFirstOrThrow({
      where: { title: '垂径定理 微课' },
      include: { platform: true },
    })
    const t1 = await actorByPhone(PHONES.lilingTeacher)
    const t2 = await actorByPhone(PHONES.lilingTeacher2)
    await expect(addComment(t1, res.id, portal, '   ')).rejects.toMatchObject({
      messageKey: 'engagement.error.emptyComment',
    })
    await expect(addComment(t1, res.id, portal, '长'.repeat(1001))).rejects.toMatchObject({
      messageKey: 'engagement.error.commentTooLong',
    })
    const c = await addComment(t1, res.id, portal, '<script>alert(1)</script>\u202e很好用\u0007')
    const stored = await prisma.comment.findUniqueOrThrow({ where: { id: c.id } })
    expect(stored.body).toBe('<script>alert(1)</script>很好用') // kept as text (React escapes it), control characters gone
    await reportComment(t2, c.id, portal, 'SPAM')
    await expect(reportComment(t2, c.id, portal, 'SPAM')).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(reportComment(t2, c.id, portal, 'DROP TABLE')).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(hideComment(t2, c.id, 'SPAM')).rejects.toMatchObject({ code: 'FORBIDDEN' }) // a teacher is not a moderator
    // The resource belongs to Zhuzhou: its moderators (the Zhuzhou reviewer) decide.
    await expect(hideComment(await actorByPhone(PHONES.lilingAdmin), c.id, 'SPAM')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    // It waits in the Zhuzhou moderators' queue, not anyone else's.
    const zhuzhou = await platformBySlug('zhuzhou')
    const reviewer = await actorByPhone(PHONES.zhuzhouReviewer)
    expect((await listReportedComments(reviewer, zhuzhou)).map((x) => x.id)).toContain(c.id)
    await expect(listReportedComments(t1, zhuzhou)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // A report that is not upheld: the comment stays, the report is closed.
    const fine = await addComment(t1, res.id, portal, '这道例题的第二问可以再讲细一点。')
    await reportComment(t2, fine.id, portal, 'OTHER')
    await dismissReports(reviewer, fine.id)
    expect((await listReportedComments(reviewer, zhuzhou)).map((x) => x.id)).not.toContain(fine.id)
    expect((await listComments(t2, res)).comments.map((x) => x.id)).toContain(fine.id)
    await hideComment(reviewer, c.id, 'SPAM')
    expect((await listComments(t2, res)).comments.map((x) => x.id)).not.toContain(c.id)
    expect(
      (await listComments(await actorByPhone(PHONES.zhuzhouReviewer), res)).comments.find((x) => x.id === c.id)?.status,
    ).toBe('HIDDEN')
    expect(await prisma.commentReport.count({ where: { commentId: c.id, handledAt: null } })).toBe(0)
    // Both reporters hear what became of their reports.
    const handled = await prisma.notification.findMany({
      where: { userId: t2.userId, kind: 'report.handled' },
      select: { params: true },
    })
    expect(handled.map((n) => (n.params as { outcome: string }).outcome).sort()).toEqual(['HIDDEN', 'KEPT'])
  })

  it('collections are private; views and downloads count once per user per day', async () => {
    const portal = await platformBySlug('liling')
    const id = (await prisma.resource.findFirstOrThrow({ where: { title: { startsWith: '最短路径问题' } } })).id
    const t1 = await actorByPhone(PHONES.lilingTeacher)
    const t2 = await actorByPhone(PHONES.lilingTeacher2)
    const { collectionId } = await addToCollection(t1, id, portal, { newName: '八上备课' })
    await addToCollection(t1, id, portal, { collectionId }) // twice: still one item
    expect((await listMyCollections(t1)).find((c) => c.id === collectionId)?.items.map((i) => i.id)).toEqual([id])
    await expect(addToCollection(t2, id, portal, { collectionId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(addToCollection(t1, id, portal, { newName: '' })).rejects.toMatchObject({ code: 'VALIDATION' })

    const views0 = (await prisma.resource.findUniqueOrThrow({ where: { id } })).viewCount
    const day = new Date('2026-11-23T03:00:00Z')
    await recordView(id, 'u:a', portal, day)
    await recordView(id, 'u:a', portal, new Date(day.getTime() + 3600_000))
    await recordView(id, 'u:b', portal, day)
    await recordView(id, 'u:a', portal, new Date(day.getTime() + 86_400_000)) // next day counts again
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).viewCount).toBe(views0 + 3)
    // The corpus entries are metadata-only (no original to hand out): downloads are refused plainly.
    await expect(downloadResource(t1, id, portal)).rejects.toMatchObject({
      messageKey: 'resource.error.notDownloadable',
    })
  })

  it('downloads: counted once per user per day; premium needs a licence', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const portal = await platformBySlug('liling')
    const id = await draft(PHONES.lilingTeacher, 'liling', '下载计数测试')
    await publish(id)
    const t2 = await actorByPhone(PHONES.lilingTeacher2)
    const { url } = (await downloadResource(t2, id, portal)) as { url: string }
    // A path on this site (the visitor's own host), with a download token.
    expect(url).toMatch(/^\/files\/[^/]+\.[^/]+\//)
    await downloadResource(t2, id, portal)
    await downloadResource(admin, id, portal)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id } })).downloadCount).toBe(2)
    await expect(downloadResource(null, id, portal)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    const paid = await draft(PHONES.lilingTeacher, 'liling', '精品下载测试', { licence: 'PREMIUM', priceCents: 990 })
    await publish(paid)
    await expect(downloadResource(t2, paid, portal)).rejects.toMatchObject({
      messageKey: 'resource.error.premiumNeedsLicence',
    })
    await expect(downloadResource(await actorByPhone(PHONES.lilingTeacher), paid, portal)).resolves.toMatchObject({
      url: expect.stringMatching(/^\/files\//),
    })
    // One rule for the player and for downloads: whoever may play premium material may download
    // it (owner, admin, the reviewer who judges it), and nobody else gets either.
    const reviewer = await actorByPhone(PHONES.lilingReviewer)
    await expect(downloadResource(reviewer, paid, portal)).resolves.toMatchObject({
      url: expect.stringMatching(/^\/files\//),
    })
    await expect(downloadResource(admin, paid, portal)).resolves.toMatchObject({
      url: expect.stringMatching(/^\/files\//),
    })
    for (const [who, entitled] of [
      [t2, false],
      [null, false],
      [reviewer, true],
      [admin, true],
    ] as const) {
      const view = await getResourceView(who, paid, portal)
      expect({ entitled: view.entitled, downloadable: view.downloadable }).toEqual({
        entitled,
        downloadable: entitled && !!who,
      })
    }
    // The player, on a premium document that has real page images: entitled viewers get every
    // page, everyone else a preview of the first three (the media token refuses the rest: see
    // test/security/media-capabilities.test.ts).
    const doc = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '精品课件 页面预览',
      kind: 'DOCUMENT',
      licence: 'PREMIUM',
      length: 12,
      index: false,
    })
    for (const [who, entitled] of [
      [t2, false],
      [null, false],
      [reviewer, true],
      [admin, true],
    ] as const) {
      const view = await getResourceView(who, doc.id, portal)
      expect(view.entitled).toBe(entitled)
      expect(view.preview).toBe(!entitled)
      const pages = view.player?.kind === 'DOCUMENT' ? view.player.pages : null
      expect(pages).toHaveLength(entitled ? 12 : 3)
    }
    // Over HTTP: a signed-in pupil of the platform is told why, never given the file.
    const b = new Browser(server.base)
    await b.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    expect((await b.get(`/p/liling/r/${paid}/download`)).status).toBe(403)
    expect((await b.get(`/p/liling/r/${id}/download`)).status).toBe(302)
  })
})
