/**
 * Starting an upload and sending its bytes follow one rule. A platform admin may start a
 * replacement or a subtitle for a teacher's resource; the tus gate used to let only the
 * resource's owner send bytes, so the admin's upload could never finish. Now whoever may start
 * it may finish it, and nobody else may: not another teacher, not the reviewer, not an admin
 * above the platform who may not upload there.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { startUpload as startUploadService } from '~/services/uploads/start-upload.server.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, actorByPhone, outcomeOf, platformBySlug, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { startUpload, tusUpload, uploadFile } from '../factories/upload.ts'

// No workers: the files need not be processed, only received.
let server: Awaited<ReturnType<typeof startTestServer>>
type Who = 'teacher' | 'admin' | 'teacher2' | 'reviewer' | 'provinceAdmin' | 'otherTeacher'
const as = {} as Record<Who, Browser>
const phoneOf: Record<Who, string> = {
  teacher: PHONES.lilingTeacher,
  admin: PHONES.lilingAdmin,
  teacher2: PHONES.lilingTeacher2,
  reviewer: PHONES.lilingReviewer,
  provinceAdmin: PHONES.provinceAdmin,
  otherTeacher: PHONES.changshaxianTeacher,
}
beforeAll(async () => {
  await generateFixtures()
  await seedDemo()
  server = await startTestServer()
  const home: Record<Who, string> = {
    teacher: 'liling',
    admin: 'liling',
    teacher2: 'liling',
    reviewer: 'liling',
    provinceAdmin: 'hunan',
    otherTeacher: 'changshaxian',
  }
  for (const k of Object.keys(phoneOf) as Who[]) {
    as[k] = new Browser(server.base)
    await as[k].signIn(home[k], phoneOf[k], DEMO_PASSWORD)
  }
}, 120_000)
afterAll(async () => {
  await server?.close()
})

const pdf = () => fs.readFileSync(path.join(FIXTURES, 'lesson.pdf'))
const docx = () => fs.readFileSync(path.join(FIXTURES, 'lesson.docx'))
const srt = () => fs.readFileSync(path.join(FIXTURES, 'subtitles.srt'))

const send = (b: Browser, bytes: Buffer, s: { fileId?: string; resourceId?: string }, name: string) =>
  tusUpload(b, bytes, bytes.length, { fileId: s.fileId!, resourceId: s.resourceId!, filename: name })

describe('who may finish an upload', () => {
  it('an admin who may start a replacement can send its bytes through tus; an unrelated teacher cannot', async () => {
    const draft = await uploadFile(as.teacher, 'liling', path.join(FIXTURES, 'lesson.pdf'), '勾股定理学案.pdf')
    expect(draft.tus).toMatchObject({ ok: true })
    const resourceId = draft.started.resourceId!

    // The admin of the teacher's platform starts a replacement of the teacher's file…
    const bytes = docx()
    const started = await startUpload(as.admin, 'liling', '学案（管理员修订）.docx', bytes.length, resourceId, true)
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true, resourceId })

    // …nobody else may send its bytes: they could not have started it either.
    const liling = await platformBySlug('liling')
    for (const k of ['teacher2', 'reviewer', 'provinceAdmin', 'otherTeacher'] as const) {
      expect(await send(as[k], bytes, started, 'x.docx'), k).toMatchObject({ ok: false, status: 403 })
      const start = startUploadService(await actorByPhone(phoneOf[k]), liling, {
        name: 'y.docx',
        size: bytes.length,
        attachTo: resourceId,
        replace: true,
      })
      expect(await outcomeOf(start), k).not.toBe('OK')
    }
    expect((await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })).status).toBe('UPLOADING')

    // …and the admin finishes it.
    const sent = await send(as.admin, bytes, started, '学案（管理员修订）.docx')
    expect(sent).toMatchObject({ ok: true })
    const file = await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })
    expect(file).toMatchObject({ role: 'REPLACEMENT', status: 'PROCESSING', kind: 'DOCUMENT' })
    const url = (sent as { url: string }).url
    const head = (b: Browser) =>
      fetch(url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0', cookie: b.cookieHeader() } })
    expect((await head(as.admin)).status).toBe(200)
    expect((await head(as.teacher2)).status).toBe(403)
  })

  it('an admin who may attach a subtitle to a video can send it; another teacher cannot', async () => {
    const video = await uploadFile(as.teacher, 'liling', path.join(FIXTURES, 'short-360p.mov'), '勾股定理微课.mov')
    expect(video.tus).toMatchObject({ ok: true })
    const resourceId = video.started.resourceId!
    const bytes = srt()
    const started = await startUpload(as.admin, 'liling', '字幕.srt', bytes.length, resourceId)
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true, resourceId })
    expect(await send(as.teacher2, bytes, started, '字幕.srt')).toMatchObject({ ok: false, status: 403 })
    expect(await send(as.admin, bytes, started, '字幕.srt')).toMatchObject({ ok: true })
    expect(await prisma.resourceFile.findUniqueOrThrow({ where: { id: started.fileId! } })).toMatchObject({
      role: 'SUBTITLE',
      status: 'PROCESSING',
    })
  })

  it('the owner keeps the same rule: a replacement started while a draft takes no bytes once the resource moved on', async () => {
    const first = Buffer.concat([pdf(), Buffer.from('\n% 函数\n')]) // not the bytes of the first test's draft
    const draft = await startUpload(as.teacher, 'liling', '函数学案.pdf', first.length)
    expect(await send(as.teacher, first, draft, '函数学案.pdf')).toMatchObject({ ok: true })
    const resourceId = draft.resourceId!
    const bytes = Buffer.concat([pdf(), Buffer.from('\n% 修订\n')])
    const started = await startUpload(as.teacher, 'liling', '函数学案修订.pdf', bytes.length, resourceId, true)
    expect(started).toMatchObject({ ok: true })
    // The resource leaves the states that take a new main file (here: deleted by its owner).
    await prisma.resource.update({ where: { id: resourceId }, data: { status: 'DELETED' } })
    expect(await send(as.teacher, bytes, started, '函数学案修订.pdf')).toMatchObject({ ok: false, status: 409 })
  })
})
