/**
 * Demo media: a Liling maths teacher's lesson on 勾股定理 (a micro-lecture video with Chinese
 * subtitles, slides, a lesson plan, a PDF worksheet and a photo), put through the real ingest
 * path (start → bytes into storage → finish → the workers process them). Runs once: skipped
 * when the teacher already has resources. Used by `npm run demo` after the workers start.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { prisma } from '../../app/lib/db.server.ts'
import { createSession, getActorForSession } from '../../app/services/auth/sessions.server.ts'
import { startUpload } from '../../app/services/uploads/start-upload.server.ts'
import { acceptSniffed, finishUpload } from '../../app/services/uploads/tus-gate.server.ts'
import { sniff, SNIFF_BYTES } from '../../app/services/media/sniff.server.ts'
import { updateDraft } from '../../app/services/resources/update-draft.server.ts'
import { storage } from '../../storage/index.ts'
import { generateFixtures } from '../../test/fixtures/generate.ts'

const ITEMS = [
  {
    file: 'lesson-720p.mp4',
    name: '勾股定理第1课时.mp4',
    title: '勾股定理（第 1 课时）微课',
    type: 'MICRO_LECTURE',
    description: '通过赵爽弦图探索勾股定理，时长约 12 秒的示例微课。',
  },
  {
    file: 'slides.pptx',
    name: '勾股定理课件.pptx',
    title: '勾股定理 课件',
    type: 'COURSEWARE',
    description: '配套课件：赵爽弦图、课堂练习。',
  },
  {
    file: 'lesson.docx',
    name: '勾股定理教学设计.docx',
    title: '勾股定理 教学设计',
    type: 'LESSON_PLAN',
    description: '教学目标、重难点与教学过程。',
  },
  {
    file: 'lesson.pdf',
    name: '勾股定理学案.pdf',
    title: '勾股定理 学案',
    type: 'STUDY_GUIDE',
    description: '课前预习与课堂练习。',
  },
  {
    file: 'photo-gps.jpg',
    name: '板书.jpg',
    title: '勾股定理 板书照片',
    type: 'MEDIA',
    description: '课堂板书（上传时已去除拍摄地点信息）。',
  },
] as const

export async function seedMedia() {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone: '13800000033' } })
  if (await prisma.resource.count({ where: { ownerId: user.id } })) return 0
  const dir = await generateFixtures()
  const actor = (await getActorForSession(await createSession(user.id, { ip: '127.0.0.1' })))!
  const platform = await prisma.platform.findUniqueOrThrow({
    where: { slug: 'liling' },
    select: { id: true, path: true },
  })
  const put = async (file: string, name: string, attachTo?: string) => {
    const bytes = fs.readFileSync(path.join(dir, file))
    const { resourceId, fileId } = await startUpload(actor, platform, { name, size: bytes.length, attachTo })
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: fileId } })
    await acceptSniffed(fileId, sniff(bytes.subarray(0, SNIFF_BYTES)))
    await storage.put(f.storageKey!, bytes, { size: bytes.length })
    await finishUpload(fileId, createHash('sha256').update(bytes).digest('hex'))
    return resourceId
  }
  // 人教版 八年级下册 第十七章 勾股定理 › 17.1 勾股定理, with its knowledge points.
  const section = 'jh.math.pep.8b.c2.s1'
  const kps = await prisma.knowledgePoint.findMany({
    where: { subject: 'math', name: { in: ['勾股定理', '赵爽弦图'] } },
    select: { id: true },
  })
  for (const item of ITEMS) {
    const id = await put(item.file, item.name)
    await updateDraft(actor, id, {
      title: item.title,
      description: item.description,
      resourceType: item.type,
      curriculum: [section],
      knowledgePoints: kps.map((k) => k.id),
      keywords: '勾股定理，赵爽弦图，直角三角形',
      licence: 'CC-BY-NC-SA',
      intendedUsers: ['TEACHER', 'STUDENT'],
      author: '陈晓梅',
      provider: '醴陵市第一中学',
    })
    if (item.file.endsWith('.mp4')) await put('subtitles.srt', '勾股定理字幕.srt', id)
  }
  return ITEMS.length
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = await seedMedia()
  console.log(n ? `demo media: ${n} resources queued for processing` : 'demo media already present')
  await prisma.$disconnect()
}
