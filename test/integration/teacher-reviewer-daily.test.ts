/**
 * A teacher's and a reviewer's first hour, against real PostgreSQL and storage: an incomplete
 * draft is refused with the same list the page shows; the reviewer's automatic checks are the
 * teacher's too; a submission is withdrawn (and no reviewer can claim it then); a draft is
 * deleted with its objects; a reviewer goes from one decision to the next and finds both under
 * 已审核; a resubmission is labelled; the dossier shows the media facts; comment templates.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import type { Actor } from '~/services/authorization.server.ts'
import { claimReview, decideReview, submitResource, withdrawSubmission } from '~/services/review/workflow.server.ts'
import { getReviewDossier, listQueue, resourceWorkflow } from '~/services/review/queue.server.ts'
import { submissionReadiness } from '~/services/review/checks.server.ts'
import { decisionReceipt, listMyDecisions, nextReviewFor } from '~/services/review/my-decisions.server.ts'
import { deleteDraft } from '~/services/resources/delete-draft.server.ts'
import { updateCommentTemplates } from '~/services/review/rules-config.server.ts'
import { startUpload } from '~/services/uploads/start-upload.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { objectKeys } from '../../storage/keys.ts'
import { storage } from '../../storage/index.ts'
import { actorByPhone, outcomeOf, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'

const APPROVE = {
  outcome: 'APPROVED',
  scores: { SCIENTIFIC: 5, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 4, NORMATIVE: 4 },
}
const CHANGES = { outcome: 'CHANGES_REQUESTED', reasons: ['INCOMPLETE_METADATA'], comment: '请补充 01:15 处的讲解' }
const actors: Record<string, Actor> = {}

/** A processed video draft with stored bytes, a derivative and a cover; complete unless told. */
async function draft(title: string, opts: { description?: string; position?: boolean } = {}) {
  const owner = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingTeacher } })
  const platform = await platformBySlug('liling')
  const r = await prisma.resource.create({
    data: {
      platformId: platform.id,
      ownerId: owner.id,
      title,
      description: opts.description ?? `${title}：本节课讲解勾股定理的证明与应用`,
      resourceType: 'MICRO_LECTURE',
      kind: 'VIDEO',
    },
  })
  const f = await prisma.resourceFile.create({
    data: {
      resourceId: r.id,
      platformId: platform.id,
      role: 'PRIMARY',
      status: 'READY',
      originalName: 'lesson.mp4',
      size: 1_250_000n,
      kind: 'VIDEO',
      sha256: 'b'.repeat(64),
      probe: { format: 'mp4', durationSec: 100, width: 1280, height: 720, fps: 25 },
    },
  })
  const ref = { platformId: platform.id, resourceId: r.id, fileId: f.id }
  const original = objectKeys.original(ref)
  await storage.put(original, Buffer.from('not really a video'), { size: 18 })
  await storage.put(objectKeys.derived(ref, 'hls/master.m3u8'), Buffer.from('#EXTM3U'), { size: 7 })
  await storage.put(
    `${objectKeys.coverPrefix({ platformId: platform.id, resourceId: r.id })}x.webp`,
    Buffer.from('RIFF'),
    {
      size: 4,
    },
  )
  await prisma.resourceFile.update({ where: { id: f.id }, data: { storageKey: original } })
  if (opts.position !== false)
    await prisma.resourceCurriculum.create({ data: { resourceId: r.id, nodeId: 'jh.math.pep.8b.c2.s1' } })
  return { id: r.id, ref, original }
}

async function exists(key: string) {
  return (await storage.stat(key)) !== null
}

beforeAll(async () => {
  await seedDemo()
  Object.assign(actors, {
    owner: await actorByPhone(PHONES.lilingTeacher),
    other: await actorByPhone(PHONES.lilingTeacher2),
    reviewer: await actorByPhone(PHONES.lilingReviewer),
    admin: await actorByPhone(PHONES.lilingAdmin),
    cityReviewer: await actorByPhone(PHONES.zhuzhouReviewer),
  })
}, 120_000)

describe('submitting for review', () => {
  it('refuses an incomplete draft, naming what is missing as the page lists it, and takes it once complete', async () => {
    const d = await draft('勾股定理 微课（未完成）', { description: '太短', position: false })
    const platform = await platformBySlug('liling')
    const readiness = await submissionReadiness({ id: d.id, platformId: platform.id, ownerId: actors.owner!.userId })
    expect(readiness.missing.map((c) => c.field)).toEqual(['curriculum', 'description'])
    expect(readiness.missing.find((c) => c.field === 'description')?.params).toEqual({ min: 10, n: 2 })
    const wf = await resourceWorkflow(actors.owner!, d.id)
    expect(wf).toMatchObject({ canSubmit: false, readiness: { missing: readiness.missing } })

    const refused = await submitResource(actors.owner!, d.id).catch((e: unknown) => e)
    expect(isAppError(refused) && refused.code).toBe('VALIDATION')
    expect(isAppError(refused) && [refused.messageKey, refused.params]).toEqual(['check.incomplete', { n: 2 }])
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('DRAFT')
    expect(await prisma.review.count({ where: { resourceId: d.id } })).toBe(0)

    await prisma.resource.update({ where: { id: d.id }, data: { description: '本节微课讲解勾股定理的两种证明方法' } })
    await prisma.resourceCurriculum.create({ data: { resourceId: d.id, nodeId: 'jh.math.pep.8b.c2.s1' } })
    expect(
      (await submissionReadiness({ id: d.id, platformId: platform.id, ownerId: actors.owner!.userId })).missing,
    ).toEqual([])
    expect((await resourceWorkflow(actors.owner!, d.id)).canSubmit).toBe(true)
    expect((await submitResource(actors.owner!, d.id)).status).toBe('SUBMITTED')
  })

  it("shows the teacher the reviewer's automatic checks before submitting: a title already used here", async () => {
    const first = await draft('勾股定理 同名微课')
    await submitResource(actors.owner!, first.id)
    const second = await draft('勾股定理 同名微课')
    const platform = await platformBySlug('liling')
    const { flags } = await submissionReadiness({
      id: second.id,
      platformId: platform.id,
      ownerId: actors.owner!.userId,
    })
    expect(flags).toContainEqual({ key: 'review.flag.duplicateTitle', params: { n: 1 }, field: 'title' })
    const { reviewId } = await submitResource(actors.owner!, second.id)
    const dossier = await getReviewDossier(actors.reviewer!, reviewId!)
    expect(dossier.flags.map((f) => f.key)).toContain('review.flag.duplicateTitle')
  })
})

describe('withdrawing and deleting', () => {
  it('a pending submission is withdrawn by its owner only; its review closes and cannot be claimed', async () => {
    const d = await draft('勾股定理 撤回测试')
    const { reviewId } = await submitResource(actors.owner!, d.id)
    expect(await outcomeOf(withdrawSubmission(actors.other!, d.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(withdrawSubmission(actors.reviewer!, d.id))).toBe('FORBIDDEN')
    await withdrawSubmission(actors.owner!, d.id)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('DRAFT')
    expect((await prisma.review.findUniqueOrThrow({ where: { id: reviewId! } })).status).toBe('WITHDRAWN')
    expect(await outcomeOf(claimReview(actors.reviewer!, reviewId!))).toBe('CONFLICT')
    const queue = await listQueue(actors.reviewer!, await platformBySlug('liling'))
    expect(queue.some((q) => q.id === reviewId)).toBe(false)
    const audit = await prisma.auditLog.findFirst({ where: { targetId: d.id, action: 'review.withdraw' } })
    expect(audit?.actorId).toBe(actors.owner!.userId)
    // Submitted again, it is a new review.
    expect((await submitResource(actors.owner!, d.id)).status).toBe('SUBMITTED')
  })

  it('is refused once a reviewer has claimed it', async () => {
    const d = await draft('勾股定理 已认领')
    const { reviewId } = await submitResource(actors.owner!, d.id)
    await claimReview(actors.reviewer!, reviewId!)
    expect(await outcomeOf(withdrawSubmission(actors.owner!, d.id))).toBe('CONFLICT')
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('IN_REVIEW')
  })

  it('deletes a draft with its original, derivatives and cover; refuses others and what is in review', async () => {
    const d = await draft('勾股定理 删除测试')
    expect(await outcomeOf(deleteDraft(actors.other!, d.id))).toBe('NOT_FOUND')
    expect(await outcomeOf(deleteDraft(actors.reviewer!, d.id))).toBe('FORBIDDEN')
    expect(await exists(d.original)).toBe(true)
    await deleteDraft(actors.owner!, d.id)
    const row = await prisma.resource.findUniqueOrThrow({ where: { id: d.id }, include: { files: true } })
    expect(row.status).toBe('DELETED')
    expect(row.files.every((f) => f.storageKey === null)).toBe(true)
    expect(await exists(d.original)).toBe(false)
    expect(await exists(objectKeys.derived(d.ref, 'hls/master.m3u8'))).toBe(false)
    const covers: string[] = []
    for await (const k of storage.list(objectKeys.coverPrefix({ platformId: d.ref.platformId, resourceId: d.id })))
      covers.push(k)
    expect(covers).toEqual([])
    expect(await outcomeOf(deleteDraft(actors.owner!, d.id))).toBe('NOT_FOUND')

    const pending = await draft('勾股定理 待审不能删')
    await submitResource(actors.owner!, pending.id)
    const refused = await deleteDraft(actors.owner!, pending.id).catch((e: unknown) => e)
    expect(isAppError(refused) && refused.messageKey).toBe('check.deleteWithdrawFirst')
    expect(await exists(pending.original)).toBe(true)
  })
})

describe('a reviewer at work', () => {
  it('goes from one decision to the next, finds both under 已审核 with filters, and gets a receipt', async () => {
    const platform = await platformBySlug('liling')
    const a = await draft('勾股定理 连续审核一')
    const b = await draft('勾股定理 连续审核二')
    const ra = (await submitResource(actors.owner!, a.id)).reviewId!
    const rb = (await submitResource(actors.owner!, b.id)).reviewId!
    // Whatever else is waiting, the next item after a is never a itself, and b is reachable.
    await decideReview(actors.reviewer!, ra, APPROVE)
    expect(await nextReviewFor(actors.reviewer!, platform, ra)).not.toBe(ra)
    await decideReview(actors.reviewer!, rb, CHANGES)
    expect(await nextReviewFor(actors.reviewer!, platform)).not.toBe(rb)

    const all = await listMyDecisions(actors.reviewer!, platform)
    const titles = all.items.map((i) => i.title)
    expect(titles.indexOf('勾股定理 连续审核二')).toBeLessThan(titles.indexOf('勾股定理 连续审核一'))
    const approved = await listMyDecisions(actors.reviewer!, platform, { outcome: 'APPROVED', q: '连续审核' })
    expect(approved.items.map((i) => i.title)).toEqual(['勾股定理 连续审核一'])
    expect(approved.items[0]).toMatchObject({ outcome: 'APPROVED', settled: true, kind: 'SUBMISSION' })
    const changes = await listMyDecisions(actors.reviewer!, platform, { outcome: 'CHANGES_REQUESTED', q: '连续审核' })
    expect(changes.items.map((i) => i.title)).toEqual(['勾股定理 连续审核二'])
    expect(changes.items[0]!.reasons).toEqual(['INCOMPLETE_METADATA'])
    expect(await decisionReceipt(actors.reviewer!, platform, rb)).toEqual({
      title: '勾股定理 连续审核二',
      outcome: 'CHANGES_REQUESTED',
      settled: true,
    })
    // Someone else's list and receipts are not theirs to read.
    expect(await outcomeOf(listMyDecisions(actors.owner!, platform))).toBe('FORBIDDEN')
    expect(await outcomeOf(listMyDecisions(actors.cityReviewer!, platform))).toBe('FORBIDDEN')

    // The teacher resubmits: the queue and the dossier say it is a resubmission.
    await prisma.resource.update({ where: { id: b.id }, data: { title: '勾股定理 连续审核二（修改后）' } })
    const again = (await submitResource(actors.owner!, b.id)).reviewId!
    const row = (await listQueue(actors.reviewer!, platform)).find((q) => q.id === again)
    expect(row?.round).toBe(2)
    const dossier = await getReviewDossier(actors.reviewer!, again)
    expect(dossier.history.map((h) => h.kind)).toEqual(['SUBMISSION'])
    expect(dossier.changes).toContainEqual({
      field: 'title',
      before: '勾股定理 连续审核二',
      after: '勾股定理 连续审核二（修改后）',
    })
    // The media facts: 100 s at 1280×720, 1.25 MB → 100 kbps.
    expect(dossier.media).toMatchObject({ kind: 'VIDEO', durationSec: 100, width: 1280, height: 720, kbps: 100 })
  })

  it("the platform's comment templates are kept one a line, limited, and set by its admins only", async () => {
    const liling = await platformBySlug('liling')
    expect(
      await updateCommentTemplates(
        actors.admin!,
        liling.id,
        '画面清晰，讲解条理分明。\n\n请补充教学目标。\n请补充教学目标。',
      ),
    ).toBe(2)
    expect((await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })).reviewCommentTemplates).toEqual([
      '画面清晰，讲解条理分明。',
      '请补充教学目标。',
    ])
    expect(await outcomeOf(updateCommentTemplates(actors.reviewer!, liling.id, 'x'))).toBe('FORBIDDEN')
    expect(await outcomeOf(updateCommentTemplates(actors.admin!, liling.id, 'a\n'.repeat(21)))).toBe('OK')
    const many = Array.from({ length: 21 }, (_, i) => `模板${i}`).join('\n')
    expect(await outcomeOf(updateCommentTemplates(actors.admin!, liling.id, many))).toBe('VALIDATION')
    expect(await outcomeOf(updateCommentTemplates(actors.admin!, liling.id, '长'.repeat(201)))).toBe('VALIDATION')
    // What was there stays.
    expect((await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })).reviewCommentTemplates).toEqual([
      'a',
    ])
  })
})

describe('a new draft from a file', () => {
  it('proposes the title from the file name and the type from its kind', async () => {
    const liling = await platformBySlug('liling')
    const cases = [
      ['03-勾股定理的证明（第2课时）.mp4', '勾股定理的证明（第2课时）', 'MICRO_LECTURE'],
      ['第十七章 勾股定理 复习课件 - 副本.pptx', '第十七章 勾股定理 复习课件', 'COURSEWARE'],
      ['1、勾股定理教学设计_final.docx', '勾股定理教学设计', 'LESSON_PLAN'],
    ] as const
    for (const [name, title, type] of cases) {
      const started = await startUpload(actors.owner!, liling, { name, size: 1000 })
      expect(started.draft).toEqual({ title, resourceType: type })
      expect(await prisma.resource.findUniqueOrThrow({ where: { id: started.resourceId } })).toMatchObject({
        title,
        resourceType: type,
      })
    }
  })
})
