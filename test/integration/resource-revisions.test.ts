/**
 * Revisions of published resources (ADR 0012, "Revisions") against real PostgreSQL, the real
 * server, the worker and Meilisearch: a metadata edit, a replacement main file and an added
 * subtitle on a published resource of 醴陵 (which reviews what it publishes) wait in one pending
 * revision while the published resource, its search document and its player stay as they were;
 * approval applies all of it at once as a new version; changes requested send it back to the
 * owner; rejection closes it and discards its files. Where a platform reviews nothing, the change
 * is live at once and still a new version. Nobody reviews a revision they own or changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import type { Actor } from '~/services/authorization.server.ts'
import { settleFile } from '~/services/media/steps.server.ts'
import { getResourceView } from '~/services/resources/resource-view.server.ts'
import { revisionForUpload } from '~/services/resources/revisions.server.ts'
import { updateDraft, type DraftInput } from '~/services/resources/update-draft.server.ts'
import { getReviewDossier, listQueue, resourceWorkflow } from '~/services/review/queue.server.ts'
import {
  claimReview,
  decideReview,
  discardRevision,
  submitRevision,
  takedownResource,
} from '~/services/review/workflow.server.ts'
import { parseSearchParams, searchResources } from '~/services/search/search-resources.server.ts'
import { newId } from '~/services/uploads/start-upload.server.ts'
import { objectKeys } from '../../storage/keys.ts'
import { storage } from '../../storage/index.ts'
import { resourceDocuments } from '../../search/resource-document.ts'
import { syncResources } from '../../search/resources-index.ts'
import { actorByPhone, DEMO_PASSWORD, outcomeOf, PHONES, platformBySlug, until } from '../factories/index.ts'
import { Browser } from '../factories/http.ts'
import { mediaResource, type MediaFixture } from '../factories/media-fixture.ts'
import { settled, startIngestHarness, startUpload, tusUpload } from '../factories/upload.ts'

let h: Awaited<ReturnType<typeof startIngestHarness>>
const actors: Record<string, Actor> = {}
const APPROVE = {
  outcome: 'APPROVED',
  scores: { SCIENTIFIC: 5, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 4, NORMATIVE: 4 },
}
const POSITION = 'jh.math.pep.8b.c2.s1'

beforeAll(async () => {
  h = await startIngestHarness()
  Object.assign(actors, {
    owner: await actorByPhone(PHONES.lilingTeacher),
    reviewer: await actorByPhone(PHONES.lilingReviewer),
    admin: await actorByPhone(PHONES.lilingAdmin),
  })
}, 120_000)
afterAll(async () => {
  await h?.stop()
})

const liling = () => platformBySlug('liling')

/** The metadata form as the owner sends it, with a new title (and optionally more). */
const edit = (title: string, more: Partial<DraftInput> = {}): DraftInput => ({
  title,
  description: `${title}：新的简介，写清楚本节课的重点和练习。`,
  resourceType: 'COURSEWARE',
  intendedUsers: ['TEACHER'],
  licence: 'CC-BY',
  keywords: '勾股定理，证明',
  ...more,
})

async function indexedTitle(id: string) {
  await syncResources([id])
  return (await resourceDocuments([id])).docs[0]?.title ?? null
}

async function searchIds(q: string) {
  const res = await searchResources(await liling(), parseSearchParams(new URLSearchParams({ q })), { facets: false })
  return res.hits.map((x) => x.id)
}

/**
 * A pending file of the revision, as startUpload makes it (`revisionForUpload` in the same
 * transaction), then processed: outputs stored and its steps done, settled as the worker does.
 * (Replacements of a published resource are started this way because the upload rule,
 * upload-rights.server.ts, does not yet let a published resource take one over HTTP.)
 */
async function processedReplacement(actor: Actor, r: MediaFixture, name: string, text: string) {
  const resource = await prisma.resource.findUniqueOrThrow({
    where: { id: r.id },
    include: { platform: { select: { reviewRequired: true } } },
  })
  const fileId = newId()
  const ref = { platformId: r.platformId, resourceId: r.id, fileId }
  await prisma.$transaction(async (tx) => {
    const revisionId = await revisionForUpload(tx, actor, resource)
    await tx.resourceFile.create({
      data: {
        id: fileId,
        resourceId: r.id,
        platformId: r.platformId,
        role: 'REPLACEMENT',
        status: 'PROCESSING',
        originalName: name,
        size: 16n,
        kind: 'DOCUMENT',
        sha256: fileId.padEnd(64, 'f').slice(0, 64),
        storageKey: objectKeys.original(ref),
        textContent: text,
        probe: { pages: 1 },
        revisionId,
      },
    })
    for (const step of ['probe', 'convert', 'pages'])
      await tx.processingStep.create({ data: { fileId, name: step, status: 'DONE', after: [] } })
    await tx.derivative.create({
      data: {
        fileId,
        name: 'pages',
        key: objectKeys.derivedPrefix(ref) + 'pages/',
        isPrefix: true,
        meta: { pages: [{ file: 'p-0001.webp', width: 1000, height: 1400 }], total: 1 },
      },
    })
  })
  await storage.put(objectKeys.original(ref), Buffer.from(`replacement ${name}`))
  await storage.put(objectKeys.derived(ref, 'pages/p-0001.webp'), Buffer.from('RIFF page'))
  expect(await prisma.$transaction((tx) => settleFile(tx, fileId))).toBe('READY')
  return fileId
}

/** Attaches a subtitle over the real upload path (start, tus, worker) and waits until processed. */
async function uploadedSubtitle(resourceId: string, name: string, line: string) {
  const vtt = Buffer.from(`WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n${line}\n`, 'utf8')
  const started = await startUpload(h.teacher, 'liling', name, vtt.length, resourceId)
  expect(started.status, JSON.stringify(started)).toBe(200)
  const sent = await tusUpload(h.teacher, vtt, vtt.length, { fileId: started.fileId!, resourceId, filename: name })
  expect(sent.ok, JSON.stringify(sent)).toBe(true)
  const f = await settled(started.fileId!)
  expect(f.status).toBe('READY')
  return started as typeof started & { revisionId: string | null }
}

/** The files a player's links open (each media token names its file). */
function playerFiles(player: unknown) {
  const tokens = [...JSON.stringify(player ?? null).matchAll(/\/media\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\//g)]
  return [...new Set(tokens.map((m) => (JSON.parse(Buffer.from(m[1]!, 'base64url').toString()) as { f: string }).f))]
}

async function playerSubtitles(actor: Actor | null, id: string) {
  const view = await getResourceView(actor, id, await liling())
  return view.player?.kind === 'VIDEO' ? view.player.subtitles.map((s) => s.label) : []
}

describe('a metadata edit of a published resource', () => {
  it('waits as a pending revision the owner keeps editing, then goes live with its positions when approved', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 已发布课件',
      kind: 'DOCUMENT',
    })
    const kp = await prisma.knowledgePoint.findFirstOrThrow({ select: { id: true, name: true } })
    const before = await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })
    const versionsBefore = await prisma.resourceVersion.count({ where: { resourceId: r.id } })

    const first = await updateDraft(actors.owner!, r.id, edit('勾股定理 改名草稿'))
    expect(first.pending).toBe(true)
    // The owner keeps editing the same revision.
    const second = await updateDraft(
      actors.owner!,
      r.id,
      edit('勾股定理 修订后课件', { curriculum: [POSITION], knowledgePoints: [kp.id] }),
    )
    expect(second).toEqual({ pending: true, revisionId: first.revisionId })
    expect(await prisma.resourceRevision.count({ where: { resourceId: r.id } })).toBe(1)

    // Nothing of it is live: the row, its positions, the search document, the page.
    const still = await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })
    expect([still.title, still.description, still.status, still.updatedAt]).toEqual([
      before.title,
      before.description,
      'PUBLISHED',
      before.updatedAt,
    ])
    expect(await prisma.resourceCurriculum.count({ where: { resourceId: r.id } })).toBe(0)
    expect(await indexedTitle(r.id)).toBe('勾股定理 已发布课件')
    expect((await getResourceView(null, r.id, await liling())).resource.title).toBe('勾股定理 已发布课件')

    // The owner sees what is pending; a stranger sees nothing of it.
    const wf = await resourceWorkflow(actors.owner!, r.id)
    expect(wf.revision).toMatchObject({ status: 'DRAFT', editable: true, canSubmit: true })
    expect(wf.revision!.changes.map((c) => c.field)).toEqual(
      expect.arrayContaining(['title', 'description', 'curriculum', 'knowledgePoints']),
    )
    expect(wf.revision!.draft).toMatchObject({ title: '勾股定理 修订后课件', knowledgePoints: [kp.id] })
    expect(wf.revision!.draft!.curriculumPath.at(-1)).toBe(POSITION)
    expect((await resourceWorkflow(null, r.id)).revision).toBeNull()
    expect((await resourceWorkflow(await actorByPhone(PHONES.lilingTeacher2), r.id)).revision).toBeNull()

    const { reviewId, status } = await submitRevision(actors.owner!, r.id)
    expect(status).toBe('SUBMITTED')
    // Locked while in review.
    expect(await outcomeOf(updateDraft(actors.owner!, r.id, edit('审核中又改')))).toBe('CONFLICT')
    expect(await outcomeOf(submitRevision(actors.owner!, r.id))).toBe('CONFLICT')

    const queue = await listQueue(actors.reviewer!, await liling())
    const item = queue.find((q) => q.id === reviewId)
    expect(item).toMatchObject({ kind: 'REVISION', revisionTitle: '勾股定理 修订后课件' })
    expect(item!.resource.title).toBe('勾股定理 已发布课件')
    const dossier = await getReviewDossier(actors.reviewer!, reviewId!)
    expect(dossier.review.kind).toBe('REVISION')
    expect(dossier.changes).toEqual(
      expect.arrayContaining([
        { field: 'title', before: '勾股定理 已发布课件', after: '勾股定理 修订后课件' },
        // Named, as the reviewer reads it: the chapter's trail, not its node id.
        {
          field: 'curriculum',
          before: [],
          after: ['初中 › 初中数学 › 人教版 › 八年级下册 › 第十七章 勾股定理 › 17.1 勾股定理'],
        },
        { field: 'knowledgePoints', before: [], after: [kp.name] },
      ]),
    )
    expect(dossier.revision!.positions[0]!.path.at(-1)).toBe(POSITION)

    await claimReview(actors.reviewer!, reviewId!)
    expect((await prisma.resourceRevision.findUniqueOrThrow({ where: { id: first.revisionId! } })).status).toBe(
      'IN_REVIEW',
    )
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('PUBLISHED')
    expect(await decideReview(actors.reviewer!, reviewId!, APPROVE)).toEqual({ settled: true, outcome: 'APPROVED' })

    const after = await prisma.resource.findUniqueOrThrow({
      where: { id: r.id },
      include: { curriculum: true, knowledgePoints: true },
    })
    expect(after).toMatchObject({ title: '勾股定理 修订后课件', status: 'PUBLISHED', subject: 'MATH' })
    expect(after.curriculum.map((c) => c.nodeId)).toEqual([POSITION])
    expect(after.knowledgePoints.map((k) => k.knowledgePointId)).toEqual([kp.id])
    expect(await prisma.resourceVersion.count({ where: { resourceId: r.id } })).toBe(versionsBefore + 1)
    const revision = await prisma.resourceRevision.findUniqueOrThrow({ where: { id: first.revisionId! } })
    expect([revision.status, revision.openFor]).toEqual(['APPROVED', null])
    // The search document follows through the outbox and the worker.
    await until(async () => (await searchIds('修订后课件')).includes(r.id))
    const audit = await prisma.auditLog.findMany({ where: { targetId: r.id, action: 'resource.publish' } })
    expect(audit.some((a) => (a.data as { revisionId?: string }).revisionId === first.revisionId)).toBe(true)
    const note = await prisma.notification.findFirst({
      where: { userId: actors.owner!.userId, kind: 'review.decided' },
      orderBy: { createdAt: 'desc' },
    })
    expect(note?.params).toMatchObject({ outcome: 'REVISION_APPROVED', title: '勾股定理 修订后课件' })
    expect((await resourceWorkflow(actors.owner!, r.id)).revision).toBeNull()
  })
})

describe('a replacement main file for a published resource', () => {
  it('is processed but not live; sent back, superseded, resubmitted and approved it becomes the main file', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 替换文件样例',
      kind: 'DOCUMENT',
    })
    const first = await processedReplacement(actors.owner!, r, '勾股定理学案-第二版.pdf', '第二版的文字')
    // The published main file stays the main file, with its player.
    const files = await prisma.resourceFile.findMany({ where: { resourceId: r.id }, orderBy: { createdAt: 'asc' } })
    expect(files.map((f) => [f.id, f.role, f.status])).toEqual([
      [r.fileId, 'PRIMARY', 'READY'],
      [first, 'REPLACEMENT', 'READY'],
    ])
    const view = await getResourceView(null, r.id, await liling())
    expect(view.player?.kind).toBe('DOCUMENT')
    expect(playerFiles(view.player)).toEqual([r.fileId])

    const { reviewId } = await submitRevision(actors.owner!, r.id)
    const dossier = await getReviewDossier(actors.reviewer!, reviewId!)
    expect(dossier.changes).toEqual([{ field: 'file', before: '勾股定理课件.pdf', after: '勾股定理学案-第二版.pdf' }])
    expect(dossier.text).toBe('第二版的文字')
    await decideReview(actors.reviewer!, reviewId!, {
      outcome: 'CHANGES_REQUESTED',
      reasons: ['POOR_QUALITY'],
      fieldComments: { file: '第二版排版有误，请重新导出' },
    })
    const sentBack = await resourceWorkflow(actors.owner!, r.id)
    expect(sentBack.status).toBe('PUBLISHED')
    expect(sentBack.revision).toMatchObject({ status: 'CHANGES_REQUESTED', editable: true })
    expect(sentBack.revision!.decision!.fieldComments).toEqual([{ field: 'file', text: '第二版排版有误，请重新导出' }])

    // A newer replacement supersedes the first; its bytes go with the storage sweep.
    const second = await processedReplacement(actors.owner!, r, '勾股定理学案-第三版.pdf', '第三版的文字')
    const superseded = await prisma.resourceFile.findUniqueOrThrow({ where: { id: first } })
    expect([superseded.status, superseded.errorKey, superseded.storageKey]).toEqual([
      'REJECTED',
      'review.revision.superseded',
      null,
    ])
    const again = await submitRevision(actors.owner!, r.id)
    expect((await getReviewDossier(actors.reviewer!, again.reviewId!)).changes).toEqual([
      { field: 'file', before: '勾股定理课件.pdf', after: '勾股定理学案-第三版.pdf' },
    ])
    const lastVersion = await prisma.resourceVersion.findFirst({
      where: { resourceId: r.id },
      orderBy: { number: 'desc' },
    })
    await decideReview(actors.reviewer!, again.reviewId!, APPROVE)

    const now = await prisma.resourceFile.findMany({ where: { resourceId: r.id }, orderBy: { createdAt: 'asc' } })
    expect(now.map((f) => [f.id, f.role, f.status, f.revisionId])).toEqual([
      [r.fileId, 'PREVIOUS', 'READY', null],
      [first, 'REPLACEMENT', 'REJECTED', expect.any(String)],
      [second, 'PRIMARY', 'READY', null],
    ])
    const version = await prisma.resourceVersion.findFirstOrThrow({
      where: { resourceId: r.id },
      orderBy: { number: 'desc' },
    })
    expect(version.number).toBe((lastVersion?.number ?? 0) + 1)
    expect(version.fileName).toBe('勾股定理学案-第三版.pdf')
    const live = await getResourceView(null, r.id, await liling())
    expect(playerFiles(live.player)).toEqual([second])
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('PUBLISHED')
  })
})

describe('a subtitle added to a published video', () => {
  it('stays out of the player until decided; rejected, the revision closes and its file is discarded', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 字幕样例',
      kind: 'VIDEO',
    })
    const started = await uploadedSubtitle(r.id, '勾股定理字幕.vtt', '直角三角形两直角边的平方和')
    expect(started.revisionId).toBeTruthy()
    expect(await playerSubtitles(null, r.id)).toEqual([])
    expect(await playerSubtitles(actors.owner!, r.id)).toEqual([])
    // Submitting is refused while a file of the revision is still on its way.
    const vtt = Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n第二条\n')
    const uploading = await startUpload(h.teacher, 'liling', '第二条字幕.vtt', vtt.length, r.id)
    expect(await outcomeOf(submitRevision(actors.owner!, r.id))).toBe('CONFLICT')
    await prisma.resourceFile.update({ where: { id: uploading.fileId! }, data: { status: 'REJECTED' } })

    const { reviewId } = await submitRevision(actors.owner!, r.id)
    // Nothing is added to what the reviewer is looking at.
    expect((await startUpload(h.teacher, 'liling', '再一条.vtt', vtt.length, r.id)).status).toBe(409)
    const dossier = await getReviewDossier(actors.reviewer!, reviewId!)
    expect(dossier.changes).toEqual([{ field: 'subtitles', before: undefined, after: ['勾股定理字幕.vtt'] }])
    expect(dossier.revision!.subtitleText).toContain('直角三角形')
    await decideReview(actors.reviewer!, reviewId!, { outcome: 'REJECTED', reasons: ['INACCURATE'] })

    const file = await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })
    expect([file.status, file.errorKey, file.storageKey]).toEqual(['REJECTED', 'review.revision.fileRejected', null])
    const prefix = objectKeys.derivedPrefix({ platformId: r.platformId, resourceId: r.id, fileId: file.id })
    const left: string[] = []
    for await (const k of storage.list(prefix)) left.push(k)
    expect(left).toEqual([])
    expect(await playerSubtitles(null, r.id)).toEqual([])
    const revision = await prisma.resourceRevision.findUniqueOrThrow({ where: { id: started.revisionId! } })
    expect([revision.status, revision.openFor]).toEqual(['REJECTED', null])
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('PUBLISHED')
    // The owner reads why; the next change opens a new revision.
    const wf = await resourceWorkflow(actors.owner!, r.id)
    expect(wf.revision).toMatchObject({ status: 'REJECTED', open: false, canSubmit: false })
    expect(wf.revision!.decision!.reasons).toEqual(['INACCURATE'])
    const note = await prisma.notification.findFirst({
      where: { userId: actors.owner!.userId, kind: 'review.decided' },
      orderBy: { createdAt: 'desc' },
    })
    expect(note?.params).toMatchObject({ outcome: 'REVISION_REJECTED' })

    // Approved, a subtitle goes live in the player and in the search document.
    const next = await uploadedSubtitle(r.id, '勾股定理字幕-修订.vtt', '斜边的平方')
    expect(next.revisionId).not.toBe(started.revisionId)
    const sub = await submitRevision(actors.owner!, r.id)
    await decideReview(actors.reviewer!, sub.reviewId!, APPROVE)
    expect(await playerSubtitles(null, r.id)).toEqual(['勾股定理字幕-修订'])
    await syncResources([r.id])
    expect((await resourceDocuments([r.id])).docs[0]?.subtitles).toContain('斜边的平方')
  })
})

describe('withdrawing a revision', () => {
  it('closes it and discards its files; the published resource never changed', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 撤回样例',
      kind: 'DOCUMENT',
    })
    await updateDraft(actors.owner!, r.id, edit('勾股定理 撤回前的修改'))
    const file = await processedReplacement(actors.owner!, r, '撤回的新文件.pdf', '不会发布')
    await discardRevision(actors.owner!, r.id)
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: file } })).status).toBe('REJECTED')
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('勾股定理 撤回样例')
    expect(await outcomeOf(submitRevision(actors.owner!, r.id))).toBe('CONFLICT')
    expect((await resourceWorkflow(actors.owner!, r.id)).revision).toBeNull()
  })
})

describe('who reviews a revision', () => {
  it('refuses the owner, even as a reviewer of the platform, and an admin-reviewer who changed it', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 自审样例',
      kind: 'DOCUMENT',
    })
    const p = await liling()
    await prisma.roleAssignment.createMany({
      data: [
        { userId: actors.owner!.userId, platformId: p.id, role: 'REVIEWER' },
        { userId: actors.admin!.userId, platformId: p.id, role: 'REVIEWER' },
      ],
      skipDuplicates: true,
    })
    const owner = await actorByPhone(PHONES.lilingTeacher)
    const admin = await actorByPhone(PHONES.lilingAdmin)
    await updateDraft(owner, r.id, edit('勾股定理 自审修改'))
    // The admin edits it too: they are now one of its authors.
    await updateDraft(admin, r.id, edit('勾股定理 自审修改（管理员补充）'))
    const { reviewId } = await submitRevision(owner, r.id)
    for (const who of [owner, admin]) {
      await expect(claimReview(who, reviewId!)).rejects.toMatchObject({ messageKey: 'review.error.ownSubmission' })
      await expect(decideReview(who, reviewId!, APPROVE)).rejects.toMatchObject({
        messageKey: 'review.error.ownSubmission',
      })
      expect((await getReviewDossier(who, reviewId!)).canDecide).toBe(false)
    }
    // Only the owner submits; others (the admin included) cannot.
    expect(await outcomeOf(submitRevision(admin, r.id))).toBe('FORBIDDEN')
    await prisma.roleAssignment.deleteMany({
      where: { userId: { in: [owner.userId, admin.userId] }, platformId: p.id, role: 'REVIEWER' },
    })
  })
})

describe('a platform that reviews nothing', () => {
  it('applies an edit and a subtitle of a published resource at once, each as a new version', async () => {
    const p = await liling()
    await prisma.platform.update({ where: { id: p.id }, data: { reviewRequired: false } })
    try {
      const r = await mediaResource({
        phone: PHONES.lilingTeacher,
        slug: 'liling',
        title: '勾股定理 免审样例',
        kind: 'VIDEO',
      })
      const saved = await updateDraft(actors.owner!, r.id, edit('勾股定理 免审改名'))
      expect(saved).toEqual({ pending: false, revisionId: null })
      expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('勾股定理 免审改名')
      expect(await prisma.resourceVersion.count({ where: { resourceId: r.id } })).toBe(1)
      await until(async () => (await searchIds('免审改名')).includes(r.id))

      const sub = await uploadedSubtitle(r.id, '免审字幕.vtt', '免审的字幕')
      expect(sub.revisionId).toBeNull()
      expect(await playerSubtitles(null, r.id)).toEqual(['免审字幕'])
      const versions = await prisma.resourceVersion.findMany({
        where: { resourceId: r.id },
        orderBy: { number: 'asc' },
      })
      expect(versions.map((v) => (v.metadata as { subtitles?: string[] }).subtitles ?? null)).toEqual([
        null,
        ['免审字幕.vtt'],
      ])
      expect(await prisma.resourceRevision.count({ where: { resourceId: r.id } })).toBe(0)
    } finally {
      await prisma.platform.update({ where: { id: p.id }, data: { reviewRequired: true } })
    }
  })
})

describe('a resource taken down with a pending revision', () => {
  it('takes no new file and no edit; its page keeps showing the published metadata', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 下架样例',
      kind: 'VIDEO',
    })
    await updateDraft(actors.owner!, r.id, edit('勾股定理 下架前修改'))
    await takedownResource(actors.admin!, r.id, 'COMPLAINT')
    expect((await startUpload(h.teacher, 'liling', 'x.vtt', 100, r.id)).status).toBe(409)
    expect(await outcomeOf(updateDraft(actors.owner!, r.id, edit('下架后再改')))).toBe('CONFLICT')
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('勾股定理 下架样例')
  })
})

describe('the pages', () => {
  it('show the owner the pending revision with its submit button, the queue a 修改审核 row, the dossier the change', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理 页面样例',
      kind: 'VIDEO',
    })
    const page = `/p/liling/r/${r.id}`
    const token = await h.teacher.csrfToken(page)
    const saved = await h.teacher.post(`/p/liling/api/resources/${r.id}`, {
      _csrf: token,
      intent: 'meta',
      title: '勾股定理 页面样例（修订）',
      description: '修订后的简介：加入了赵爽弦图的讲解。',
      resourceType: 'MICRO_LECTURE',
      intendedUsers: 'TEACHER',
      licence: 'CC-BY',
    })
    expect(await saved.json()).toMatchObject({ ok: true, pending: true })
    await uploadedSubtitle(r.id, '页面样例字幕.vtt', '赵爽弦图')

    const html = await (await h.teacher.get(page)).text()
    expect(html).toContain('data-testid="pending-revision"')
    expect(html).toContain('data-testid="submit-revision"')
    expect(html).toContain('data-testid="reviewed-edit"')
    expect(/<h1 data-testid="resource-title">([^<]*)<\/h1>/.exec(html)?.[1]).toBe('勾股定理 页面样例')
    // The form the owner keeps editing holds the revision's values.
    expect(html).toContain('value="勾股定理 页面样例（修订）"')
    const submitted = await h.teacher.post(`/p/liling/api/resources/${r.id}`, {
      _csrf: await h.teacher.csrfToken(page),
      intent: 'submit-revision',
    })
    const body = (await submitted.json()) as { ok: boolean; reviewId: string }
    expect(body).toMatchObject({ ok: true, status: 'SUBMITTED' })

    const reviewer = new Browser(h.server.base)
    await reviewer.signIn('liling', PHONES.lilingReviewer, DEMO_PASSWORD)
    const queue = await (await reviewer.get('/p/liling/review')).text()
    expect(queue).toContain('data-kind="REVISION"')
    expect(queue).toContain('修改审核')
    expect(queue).toContain('修改后标题：勾股定理 页面样例（修订）')
    const dossier = await reviewer.get(`/p/liling/review/${body.reviewId}`)
    expect(dossier.status).toBe(200)
    const d = await dossier.text()
    expect(d).toContain('data-testid="revision-hint"')
    expect(d).toContain('data-field="title"')
    expect(d).toContain('data-field="subtitles"')
    // The reviewer's player has the pending subtitle, over a link bound to the session.
    const track = /<track[^>]*src="([^"]+)"/.exec(d)?.[1]
    expect(track).toBeTruthy()
    expect((await reviewer.get(track!)).status).toBe(200)
    expect((await fetch(h.server.base + track!)).status).toBe(403)
    // The public page still has no subtitle.
    expect(await (await fetch(h.server.base + page)).text()).not.toContain('<track')
  })
})
