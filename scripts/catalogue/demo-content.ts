/**
 * Real content for the hand-written demo catalogue (test/fixtures/catalogue-corpus.ts): every
 * resource gets a file made from its own title, description, knowledge points and text —
 * 微课 as short videos with the points and captions burnt in (and an SRT where the corpus has
 * subtitles), 课件 as PPTX, 教学设计 and 案例 as DOCX, 习题, 学案 and 任务单 as PDF, 媒体素材 as
 * a picture — and the file goes through the real pipeline: its record is completed the way the
 * tus endpoint completes an upload (kind sniffed from the bytes, bytes into storage under the
 * original's key, `finishUpload` with the sha256), so the workers probe, transcode, convert
 * and render it like any teacher's upload.
 *
 * Idempotent: a resource whose main file already has stored bytes is left alone, and generated
 * files are cached in .data/demo-media/ by content, so running the demo again makes nothing twice.
 *   tsx scripts/catalogue/demo-content.ts    only make the files (npm run demo, early on)
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { PrismaClient } from '../../app/generated/prisma/client.ts'
import { translator } from '../../app/lib/i18n/index.ts'
import { sniff, SNIFF_BYTES } from '../../app/services/media/sniff.server.ts'
import { acceptSniffed, finishUpload } from '../../app/services/uploads/tus-gate.server.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { coverColours, wrapText } from '../../workers/media/cover.ts'
import { CORPUS, type CorpusItem } from '../../test/fixtures/catalogue-corpus.ts'
import {
  documentHtml,
  lessonVideo,
  officeConvert,
  sentences,
  slidesFodp,
  srt,
  type Cue,
  type DocSection,
} from '../lib/demo-media.ts'
import { ROOT } from '../lib/services.ts'

/** Bump when the generated content changes (cached files are then made again). */
const CONTENT_VERSION = 1
const CACHE = path.join(ROOT, '.data/demo-media')

type Ext = 'mp4' | 'pptx' | 'docx' | 'pdf' | 'jpg'
const EXT_OF: Record<string, Ext> = {
  MICRO_LECTURE: 'mp4',
  ONLINE_COURSE: 'mp4',
  COURSEWARE: 'pptx',
  LESSON_PLAN: 'docx',
  CASE: 'docx',
  EXERCISE: 'pdf',
  EXAM: 'pdf',
  STUDY_GUIDE: 'pdf',
  TASK_SHEET: 'pdf',
  MEDIA: 'jpg',
}
export const extFor = (type: string): Ext => EXT_OF[type] ?? 'pdf'

/** Where a resource sits in the textbooks, as names: 人教版, 八年级下册, 第十七章 勾股定理, 17.1 勾股定理. */
type Place = {
  stage: string
  subject: string | null
  edition: string
  volume: string
  chapter: string
  section: string
}

const t = translator('zh-CN')
const typeName = (type: string) => t(`resourceType.${type}` as 'resourceType.OTHER')
const numbered = (xs: string[]) => xs.map((x, i) => `${'①②③④⑤⑥'[i] ?? `${i + 1}.`} ${x}`)
const bare = (s: string) => s.replace(/^第[一二三四五六七八九十百]+章\s*|^\d+(\.\d+)*\s*/, '').trim()

/** The resource's topic in a few words: its section or chapter without numbering. */
const topicOf = (p: Place, item: CorpusItem) => bare(p.section || p.chapter) || item.title

function lessonText(item: CorpusItem, p: Place) {
  const topic = topicOf(p, item)
  const described = sentences(item.description, 30)
  const kps = item.kps?.length ? item.kps : (item.keywords ?? []).slice(0, 3)
  return { topic, described, kps }
}

function slidesFor(item: CorpusItem, p: Place) {
  const { topic, described, kps } = lessonText(item, p)
  const exercises = item.text ? sentences(item.text, 34) : [`结合本节内容，完成课本“练习”第 1～3 题。`]
  return [
    { title: item.title, lines: [`${p.edition} ${p.volume}`, p.chapter, p.section].filter(Boolean) },
    { title: '学习目标', lines: numbered(described.slice(0, 4)) },
    {
      title: `知识要点：${topic}`,
      lines: [
        ...numbered(kps.map((k) => `理解“${k}”`)),
        ...(item.keywords?.length ? [`关键词：${item.keywords.join('、')}`] : []),
      ],
    },
    { title: '课堂练习', lines: exercises.slice(0, 4) },
    {
      title: '课堂小结',
      lines: [`本节课我们学习了${topic}。`, '说一说：你有哪些收获？还有什么疑问？', '课后：完成配套练习。'],
    },
  ]
}

function lessonPlanFor(item: CorpusItem, p: Place): DocSection[] {
  const { topic, described, kps } = lessonText(item, p)
  const isCase = item.type === 'CASE'
  return [
    { heading: isCase ? '一、案例背景' : '一、教学目标', paragraphs: described },
    {
      heading: isCase ? '二、关键问题' : '二、教学重难点',
      paragraphs: kps.length
        ? [`重点：${kps[0]}。`, `难点：${kps.slice(1).join('、') || `运用${kps[0]}解决实际问题`}。`]
        : [`重点：${topic}的基本概念。`, `难点：${topic}的应用。`],
    },
    {
      heading: isCase ? '三、实施过程' : '三、教学过程',
      paragraphs: [
        `（一）情境导入：从学生熟悉的生活情境出发，提出与“${topic}”有关的问题，激发学习兴趣。`,
        `（二）新知探究：${described[0] ?? item.description}学生分组讨论，教师巡视指导。`,
        `（三）巩固练习：完成例题和课堂练习，学生板演，师生共同订正。`,
        `（四）课堂小结：学生谈收获，教师梳理${topic}的知识结构。`,
      ],
    },
    {
      heading: '四、板书设计',
      paragraphs: [`${item.title}`, ...(kps.length ? [kps.join(' → ')] : []), ...(item.keywords ?? []).slice(0, 3)],
    },
    {
      heading: isCase ? '五、反思与评价' : '五、课后反思',
      newPage: true,
      paragraphs: [
        `本课围绕“${topic}”展开，学生参与度较高。`,
        '不足：个别学生对新概念的理解还停留在记忆层面，需在后续练习中加强变式训练。',
        `适用教材：${p.edition}${p.volume}。`,
      ],
    },
  ]
}

function exerciseFor(item: CorpusItem, p: Place): DocSection[] {
  const { topic, described, kps } = lessonText(item, p)
  const given = item.text ? item.text.split(/(?=\d+\.\s)/).map((s) => s.trim()) : []
  const basic = given.length
    ? given
    : (kps.length ? kps : [topic]).map((k, i) => `${i + 1}. 请用自己的话说明“${k}”，并各举一个例子。`)
  return [
    { paragraphs: [`说明：${described.join('')}`, '姓名：________　班级：________　用时：______ 分钟'] },
    { heading: '一、基础题', paragraphs: basic },
    {
      heading: '二、提高题',
      paragraphs: [
        `${basic.length + 1}. 结合“${topic}”，编一道题考考你的同桌，并写出解答过程。`,
        `${basic.length + 2}. 找出本节中你认为最容易出错的地方，说明原因。`,
      ],
    },
    {
      heading: '三、参考答案与提示',
      newPage: true,
      paragraphs: [
        `1～${basic.length} 题：紧扣${kps.join('、') || topic}的定义作答即可。`,
        '提高题：答案不唯一，言之有理即可。',
      ],
    },
  ]
}

/** A 媒体素材: a board-like picture with the title and the points, drawn with sharp. */
async function pictureFor(item: CorpusItem, p: Place, out: string) {
  const [dark, light] = coverColours(p.subject)
  const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
  const { described, kps } = lessonText(item, p)
  const lines = [...described, ...kps.map((k) => `· ${k}`), ...(item.keywords ?? []).map((k) => `· ${k}`)].slice(0, 5)
  const title = wrapText(item.title, 26, 2)
  const font = "'Noto Sans CJK SC', sans-serif"
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">
<rect width="1600" height="900" fill="${dark}"/><rect x="40" y="40" width="1520" height="820" rx="24" fill="#1f3b2d"/>
<rect x="40" y="40" width="1520" height="820" rx="24" fill="none" stroke="${light}" stroke-width="14"/>
${title.map((l, i) => `<text x="110" y="${170 + i * 82}" font-family="${font}" font-weight="700" font-size="64" fill="#fef9c3">${esc(l)}</text>`).join('')}
<rect x="110" y="${220 + (title.length - 1) * 82}" width="1380" height="4" fill="#fef9c3" fill-opacity="0.5"/>
${lines.map((l, i) => `<text x="130" y="${330 + (title.length - 1) * 82 + i * 88}" font-family="${font}" font-size="48" fill="#f8fafc">${esc(wrapText(l, 27, 1)[0]!)}</text>`).join('')}
<text x="1490" y="820" text-anchor="end" font-family="${font}" font-size="30" fill="#cbd5e1">${esc(`${p.edition} ${p.volume}`)}</text>
</svg>`
  await sharp(Buffer.from(svg)).jpeg({ quality: 86 }).toFile(out)
}

function videoFor(item: CorpusItem, p: Place, withSrt: boolean) {
  const { topic, described, kps } = lessonText(item, p)
  const points = numbered([...described, ...kps.map((k) => `知识点：${k}`)].slice(0, 4))
  const narration = [
    `同学们好，这节微课我们一起学习${topic}。`,
    ...sentences(item.subtitles ?? item.description, 24),
    '请暂停视频，试着自己说一说。',
  ]
  const seconds = Math.min(15, Math.max(8, narration.length * 3))
  const step = (seconds - 1) / narration.length
  const captions: Cue[] = narration.map((text, i) => ({
    start: +(0.5 + i * step).toFixed(2),
    end: +(0.5 + (i + 1) * step - 0.1).toFixed(2),
    text,
  }))
  const pointStep = (seconds - 2) / Math.max(1, points.length)
  return {
    spec: {
      width: 960,
      fps: 15,
      height: 540,
      seconds,
      colour: coverColours(p.subject)[0],
      accent: '#f59e0b',
      kicker: [typeName(item.type), `${p.edition} ${p.volume}`.trim(), p.chapter].filter(Boolean).join(' · '),
      title: wrapText(item.title, 21, 2),
      points: points.map((text, i) => ({ start: +(0.8 + i * pointStep).toFixed(2), end: seconds, text })),
      // With an SRT the player shows the captions; burning them in as well would show them twice.
      captions: withSrt ? [] : captions,
    },
    srt: withSrt ? srt(captions) : null,
  }
}

/** What each hand-written resource gets, and the files made for it (cached by content). */
async function makeFiles(items: { item: CorpusItem; place: Place }[]) {
  const dir = path.join(CACHE, `v${CONTENT_VERSION}`)
  fs.mkdirSync(dir, { recursive: true })
  const hash = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 12)
  const files = new Map<string, { primary: string; subtitles: string | null }>()
  const office: Record<'pptx' | 'docx' | 'pdf', { src: string; out: string }[]> = { pptx: [], docx: [], pdf: [] }
  const videos: (() => Promise<void>)[] = []
  const pictures: (() => Promise<void>)[] = []
  const work = fs.mkdtempSync(path.join(CACHE, 'work-'))
  try {
    for (const { item, place } of items) {
      const ext = extFor(item.type)
      const colour = coverColours(place.subject)[0]
      if (ext === 'mp4') {
        const v = videoFor(item, place, !!item.subtitles)
        const out = path.join(dir, `${item.key}-${hash(v)}.mp4`)
        if (!fs.existsSync(out))
          videos.push(() => lessonVideo(out + '.tmp.mp4', v.spec).then(() => fs.renameSync(out + '.tmp.mp4', out)))
        let subtitles: string | null = null
        if (v.srt) {
          subtitles = path.join(dir, `${item.key}-${hash(v.srt)}.srt`)
          fs.writeFileSync(subtitles, v.srt)
        }
        files.set(item.key, { primary: out, subtitles })
      } else if (ext === 'jpg') {
        const out = path.join(dir, `${item.key}-${hash([item, place])}.jpg`)
        if (!fs.existsSync(out)) pictures.push(() => pictureFor(item, place, out))
        files.set(item.key, { primary: out, subtitles: null })
      } else {
        const source =
          ext === 'pptx'
            ? slidesFodp(slidesFor(item, place), {
                colour,
                accent: '#f59e0b',
                footer: `${item.title} · ${place.edition}${place.volume}`,
              })
            : documentHtml({
                title: item.title,
                h1: item.title,
                h2: [typeName(item.type), `${place.edition} ${place.volume}`, place.chapter]
                  .filter(Boolean)
                  .join(' · '),
                sections: ext === 'docx' ? lessonPlanFor(item, place) : exerciseFor(item, place),
                styled: { colour },
              })
        const base = `${item.key}-${hash(source)}`
        const out = path.join(dir, `${base}.${ext}`)
        if (!fs.existsSync(out)) {
          const src = path.join(work, `${base}.${ext === 'pptx' ? 'fodp' : 'html'}`)
          fs.writeFileSync(src, source)
          office[ext].push({ src, out })
        }
        files.set(item.key, { primary: out, subtitles: null })
      }
    }
    // LibreOffice converts each format's files in one run (its start-up costs seconds), one
    // format after the other; the videos and pictures are drawn meanwhile, two at a time.
    const queue = [...videos, ...pictures]
    const drawing = Promise.all(
      [0, 1].map(async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job()
      }),
    )
    const filters = { pptx: 'pptx', docx: 'docx:MS Word 2007 XML', pdf: 'pdf:writer_web_pdf_Export' } as const
    for (const ext of ['pptx', 'docx', 'pdf'] as const) {
      if (!office[ext].length) continue
      await officeConvert(
        office[ext].map((o) => o.src),
        filters[ext],
        work,
      )
      for (const o of office[ext])
        fs.renameSync(path.join(work, path.basename(o.src).replace(/\.\w+$/, `.${ext}`)), o.out)
    }
    await drawing
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
  return files
}

/** Where each item sits in the textbooks (from the seeded taxonomy), by item key. */
async function placesOf(prisma: PrismaClient, items: CorpusItem[]) {
  const nodes = new Map(
    (await prisma.curriculumNode.findMany({ select: { id: true, name: true, subject: true, path: true } })).map((n) => [
      n.id,
      n,
    ]),
  )
  return new Map(
    items.map((item): [string, Place] => {
      const trail = (nodes.get(item.node)?.path ?? '').split('/').map((id) => nodes.get(id))
      return [
        item.key,
        {
          stage: trail[0]?.name ?? '',
          subject: trail[1]?.subject?.toUpperCase() ?? null,
          edition: trail[2]?.name ?? '',
          volume: trail[3]?.name ?? '',
          chapter: trail[4]?.name ?? '',
          section: trail[5]?.name ?? '',
        },
      ]
    }),
  )
}

/** Makes (or finds in the cache) the files of these items: key → paths. Needs only the taxonomy,
 * so `npm run demo` runs it while the catalogue rows are still being written. */
export async function makeDemoFiles(prisma: PrismaClient, items: CorpusItem[] = CORPUS) {
  const places = await placesOf(prisma, items)
  return makeFiles(items.map((item) => ({ item, place: places.get(item.key)! })))
}

/** Completes a file record the way the tus endpoint completes an upload: the kind from the
 * first bytes, the bytes under the original's key, then `finishUpload` starts processing. */
async function upload(
  prisma: PrismaClient,
  file: { id: string; resourceId: string; platformId: string },
  bytes: Buffer,
  name: string,
) {
  const key = objectKeys.original({ platformId: file.platformId, resourceId: file.resourceId, fileId: file.id })
  await prisma.resourceFile.update({
    where: { id: file.id },
    data: { status: 'UPLOADING', storageKey: key, size: BigInt(bytes.length), originalName: name, kind: null },
  })
  await acceptSniffed(file.id, sniff(bytes.subarray(0, SNIFF_BYTES)))
  await storage.put(key, bytes, { size: bytes.length })
  await finishUpload(file.id, createHash('sha256').update(bytes).digest('hex'))
}

/**
 * Gives each hand-written resource (key → id, from `seedCorpus`) that has no stored file yet its
 * generated content, and starts processing it. Returns the ids of the resources whose files
 * are now being processed (none on a second run).
 */
export async function attachDemoContent(
  prisma: PrismaClient,
  ids: Record<string, string>,
  items: CorpusItem[] = CORPUS,
  onProgress?: (msg: string) => void,
) {
  const rows = await prisma.resource.findMany({
    where: { id: { in: Object.values(ids) } },
    select: {
      id: true,
      title: true,
      files: { select: { id: true, role: true, storageKey: true, status: true, resourceId: true, platformId: true } },
    },
  })
  const byId = new Map(rows.map((r) => [r.id, r]))
  // Only resources whose main file is still the metadata-only stand-in (no bytes ever stored).
  const todo = items
    .map((item) => ({ item, row: byId.get(ids[item.key] ?? '') }))
    .filter(
      (x): x is { item: CorpusItem; row: NonNullable<typeof x.row> } =>
        !!x.row && x.row.files.some((f) => f.role === 'PRIMARY' && !f.storageKey && f.status === 'READY'),
    )
  if (!todo.length) return []
  onProgress?.(`生成演示资源文件 ${todo.length} 个 / making ${todo.length} demo files …`)
  const files = await makeDemoFiles(
    prisma,
    todo.map((x) => x.item),
  )
  for (const { item, row } of todo) {
    const made = files.get(item.key)!
    const primary = row.files.find((f) => f.role === 'PRIMARY')!
    const ext = extFor(item.type)
    await upload(prisma, primary, fs.readFileSync(made.primary), `${item.title.replace(/[\\/:*?"<>|]/g, '_')}.${ext}`)
    const sub = row.files.find((f) => f.role === 'SUBTITLE' && !f.storageKey)
    if (sub && made.subtitles)
      await upload(prisma, sub, fs.readFileSync(made.subtitles), `${item.title.replace(/[\\/:*?"<>|]/g, '_')}.srt`)
  }
  return todo.map((x) => x.row.id)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { prisma } = await import('../../app/lib/db.server.ts')
  const t0 = Date.now()
  const files = await makeDemoFiles(prisma)
  console.log(`演示资源文件已备好 / demo files ready: ${files.size} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  await prisma.$disconnect()
}
