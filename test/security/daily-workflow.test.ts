/**
 * The daily-use routes over HTTP, as an outsider tries them: withdrawing someone else's
 * submission, deleting someone else's draft (its bytes stay), reading another reviewer's 已审核
 * list or decision receipt, another platform's reviewer reading this one's, a reviewer setting
 * the platform's comment templates, and submitting an incomplete draft by hand-made request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { decideReview, submitResource } from '~/services/review/workflow.server.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { actorByPhone, DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
const who: Record<string, Browser> = {}

async function signedIn(phone: string, slug = 'liling') {
  const b = new Browser(server.base)
  await b.signIn(slug, phone, DEMO_PASSWORD)
  return b
}

/** A draft of 醴陵's teacher, complete enough to submit. */
async function draft(title: string) {
  const r = await mediaResource({ phone: PHONES.lilingTeacher, slug: 'liling', title, kind: 'VIDEO', status: 'DRAFT' })
  await prisma.resourceCurriculum.create({ data: { resourceId: r.id, nodeId: 'jh.math.pep.8b.c2.s1' } })
  return { ...r, original: objectKeys.original({ platformId: r.platformId, resourceId: r.id, fileId: r.fileId }) }
}

async function post(b: Browser, id: string, fields: Record<string, string>) {
  const token = await b.csrfToken('/p/liling')
  return b.post(`/p/liling/api/resources/${id}`, { _csrf: token, ...fields })
}

const statusOf = async (id: string) => (await prisma.resource.findUniqueOrThrow({ where: { id } })).status

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  Object.assign(who, {
    owner: await signedIn(PHONES.lilingTeacher),
    other: await signedIn(PHONES.lilingTeacher2),
    reviewer: await signedIn(PHONES.lilingReviewer),
    cityReviewer: await signedIn(PHONES.zhuzhouReviewer, 'zhuzhou'),
    anonymous: new Browser(server.base),
  })
}, 120_000)
afterAll(() => server?.close())

describe('withdrawing a submission', () => {
  it('refuses another teacher, a reviewer and a visitor; the submission stays with the reviewers', async () => {
    const r = await draft('撤回越权测试')
    await submitResource(await actorByPhone(PHONES.lilingTeacher), r.id)
    for (const b of [who.other!, who.reviewer!]) expect((await post(b, r.id, { intent: 'withdraw' })).status).toBe(403)
    const anon = await who.anonymous!.post(`/p/liling/api/resources/${r.id}`, { intent: 'withdraw' })
    expect([401, 403]).toContain(anon.status)
    expect(await statusOf(r.id)).toBe('SUBMITTED')
    expect((await post(who.owner!, r.id, { intent: 'withdraw' })).status).toBe(200)
    expect(await statusOf(r.id)).toBe('DRAFT')
  })
})

describe('deleting a draft', () => {
  it('refuses another teacher (as if it did not exist) and a reviewer; its bytes stay', async () => {
    const r = await draft('删除越权测试')
    expect((await post(who.other!, r.id, { intent: 'delete' })).status).toBe(404)
    expect((await post(who.reviewer!, r.id, { intent: 'delete' })).status).toBe(403)
    expect(await statusOf(r.id)).toBe('DRAFT')
    expect(await storage.stat(r.original)).not.toBeNull()
    const res = await post(who.owner!, r.id, { intent: 'delete' })
    expect(await res.json()).toEqual({ ok: true, deleted: true })
    expect(await storage.stat(r.original)).toBeNull()
  })

  it('refuses to delete a published resource, even for its owner', async () => {
    const r = await mediaResource({ phone: PHONES.lilingTeacher, slug: 'liling', title: '已发布不可删', kind: 'VIDEO' })
    const res = await post(who.owner!, r.id, { intent: 'delete' })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: string }).error).toContain('不能删除')
    expect(await statusOf(r.id)).toBe('PUBLISHED')
  })
})

describe('submitting by hand-made request', () => {
  it('refuses an incomplete draft with the reason in Chinese, whatever the page showed', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '缺教材位置',
      kind: 'VIDEO',
      status: 'DRAFT',
    })
    const res = await post(who.owner!, r.id, { intent: 'submit' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('还有 1 项没有填写完整，补充后才能提交审核。')
    expect(await statusOf(r.id)).toBe('DRAFT')
  })
})

describe('已审核 and decision receipts', () => {
  it("are the reviewer's own: a teacher and another platform's reviewer are refused; another's receipt is not shown", async () => {
    const r = await draft('已审核越权测试')
    const { reviewId } = await submitResource(await actorByPhone(PHONES.lilingTeacher), r.id)
    await decideReview(await actorByPhone(PHONES.lilingReviewer), reviewId!, {
      outcome: 'APPROVED',
      scores: { SCIENTIFIC: 4, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 4, NORMATIVE: 4 },
    })
    const mine = await (await who.reviewer!.get(`/p/liling/review?tab=done&done=${reviewId}`)).text()
    expect(mine).toContain('data-testid="decision-receipt"')
    expect(mine).toContain('已审核越权测试')

    expect((await who.owner!.get('/p/liling/review?tab=done')).status).toBe(403)
    expect((await who.cityReviewer!.get('/p/liling/review?tab=done')).status).toBe(403)
    // 株洲's reviewer on 株洲's own page, naming 醴陵's review: nothing of it is said.
    const city = await (await who.cityReviewer!.get(`/p/zhuzhou/review?tab=done&done=${reviewId}`)).text()
    expect(city).not.toContain('已审核越权测试')
    expect(city).not.toContain('data-testid="decision-receipt"')
  })
})

describe('comment templates', () => {
  it("are set by the platform's admins only: a reviewer's request is refused and changes nothing", async () => {
    const token = await who.reviewer!.csrfToken('/p/liling')
    const res = await who.reviewer!.post('/p/liling/admin', {
      _csrf: token,
      intent: 'comment-templates',
      templates: '越权模板',
    })
    expect(res.status).toBe(403)
    const p = await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })
    expect(p.reviewCommentTemplates).not.toContain('越权模板')
  })
})
