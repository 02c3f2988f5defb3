/**
 * Replacing a resource's main file while it is a draft or sent back for changes: the new file
 * goes through the real upload and processing path, takes over once ready, and the old one is
 * kept (bytes and outputs) as an earlier version that the reviewer's diff shows.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { decideReview, submitResource } from '~/services/review/workflow.server.ts'
import { getReviewDossier } from '~/services/review/queue.server.ts'
import { storage } from '../../storage/index.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { actorByPhone, PHONES, completeDraft } from '../factories/index.ts'
import { settled, startIngestHarness, startUpload, uploadFile } from '../factories/upload.ts'

let h: Awaited<ReturnType<typeof startIngestHarness>>
beforeAll(async () => {
  await generateFixtures()
  h = await startIngestHarness()
}, 120_000)
afterAll(async () => {
  await h?.stop()
})

describe('replacing the main file', () => {
  it('swaps in the new file once processed, keeps the old one as a version, and the reviewer sees it', async () => {
    const first = await uploadFile(h.teacher, 'liling', path.join(FIXTURES, 'lesson.pdf'), '勾股定理学案.pdf')
    const resourceId = first.started.resourceId!
    expect((await settled(first.started.fileId!)).status).toBe('READY')
    const owner = await actorByPhone(PHONES.lilingTeacher)
    const reviewer = await actorByPhone(PHONES.lilingReviewer)
    await completeDraft(resourceId)
    const { reviewId } = await submitResource(owner, resourceId)
    // While in review the file cannot be replaced.
    expect((await startUpload(h.teacher, 'liling', 'new.docx', 1000, resourceId, true)).status).toBe(409)
    await decideReview(reviewer, reviewId!, {
      outcome: 'CHANGES_REQUESTED',
      reasons: ['POOR_QUALITY'],
      fieldComments: { file: '请换成可编辑的 Word 版本' },
    })

    const second = await uploadFile(
      h.teacher,
      'liling',
      path.join(FIXTURES, 'lesson.docx'),
      '勾股定理学案.docx',
      resourceId,
      true,
    )
    expect(second.started, JSON.stringify(second.started)).toMatchObject({ ok: true, resourceId })
    expect((await settled(second.started.fileId!)).status).toBe('READY')
    const files = await prisma.resourceFile.findMany({ where: { resourceId }, orderBy: { createdAt: 'asc' } })
    expect(files.map((f) => [f.originalName, f.role])).toEqual([
      ['勾股定理学案.pdf', 'PREVIOUS'],
      ['勾股定理学案.docx', 'PRIMARY'],
    ])
    // The old file's bytes are kept, with its outputs.
    expect(await storage.stat(files[0]!.storageKey!)).not.toBeNull()
    expect(await prisma.derivative.count({ where: { fileId: files[0]!.id } })).toBeGreaterThan(0)

    const again = await submitResource(owner, resourceId)
    const dossier = await getReviewDossier(reviewer, again.reviewId!)
    expect(dossier.changes?.find((c) => c.field === 'file')).toEqual({
      field: 'file',
      before: '勾股定理学案.pdf',
      after: '勾股定理学案.docx',
    })
    expect(dossier.text).toContain('勾股定理')
    // A subtitle file is not a main file.
    await decideReview(reviewer, again.reviewId!, { outcome: 'CHANGES_REQUESTED', reasons: ['OTHER'] })
    expect((await startUpload(h.teacher, 'liling', 'x.srt', 100, resourceId, true)).status).toBe(400)
  })
})
