/**
 * Catalogue data: the hand-written corpus (test/fixtures/catalogue-corpus.ts) and any number of
 * generated resources with realistic Chinese titles and descriptions drawn from the taxonomy
 * (section names, chapter knowledge points, textbook volumes). Used by the demo, the relevance
 * suite (as competing noise), and the 100k benchmarks. Rows are written straight to
 * PostgreSQL as PUBLISHED; the search index is then built by the real reindex path.
 */
import { randomBytes } from 'node:crypto'
import type { PrismaClient } from '../../app/generated/prisma/client.ts'
import { hashPassword } from '../../app/services/auth/password.server.ts'
import { CORPUS, type CorpusItem } from '../../test/fixtures/catalogue-corpus.ts'

const id = (prefix: string) => prefix + randomBytes(12).toString('hex')
/** Seeding writes in bulk while the demo's workers and build share the CPU: Prisma's default of
 * five seconds per transaction is too short on a busy two-core machine. */
const BULK_TX = { timeout: 120_000, maxWait: 30_000 }

/**
 * Views for a resource downloaded `downloads` times: every download follows a view, and most
 * views end without one (three to eight views per download, plus some who only looked).
 * Deterministic in `salt`, and drawn outside the catalogue's random stream, so adding views
 * changed no generated title.
 */
export function viewsFor(downloads: number, salt: string | number) {
  const r = rng(
    typeof salt === 'number' ? salt : [...salt].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261),
  )
  return Math.round(downloads * (3 + r() * 5) + 12 + r() * 240)
}

/** Whole-star scores from `n` raters whose mean is as close to `target` as they allow
 * (4.8 from 8 raters: six 5s and two 4s, 4.75). */
export function scoresFor(target: number, n: number) {
  const low = Math.max(1, Math.min(5, Math.floor(target)))
  const high = Math.round((target - low) * n)
  return Array.from({ length: n }, (_, i) => Math.min(5, i < high ? low + 1 : low))
}

/** A small deterministic PRNG so that a seed gives the same catalogue every time. */
export function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = [
  '建华',
  '丽娟',
  '志强',
  '秀英',
  '海燕',
  '俊杰',
  '晓燕',
  '红梅',
  '文斌',
  '静怡',
  '国庆',
  '春花',
  '立新',
  '慧敏',
  '志刚',
  '雪梅',
  '永军',
  '玉兰',
  '振宇',
  '婷婷',
  '德明',
  '淑芬',
  '子涵',
  '雨桐',
]

/**
 * Teachers for generated resources: three per hosted or virtual platform, so that every
 * generated resource is owned by someone of the platform it was uploaded to. They cannot sign
 * in (a random password nobody knows).
 */
async function generatedTeachers(
  prisma: PrismaClient,
  platforms: { id: string; slug: string }[],
  random: () => number,
) {
  const hash = await hashPassword(randomBytes(24).toString('base64url') + '1a')
  const out = new Map<string, { id: string; displayName: string }[]>()
  for (const p of platforms) {
    const list: { id: string; displayName: string }[] = []
    for (let i = 1; i <= 3; i++) {
      const email = `gen-${p.slug}-${i}@teachers.demo.invalid`
      const name = SURNAMES[Math.floor(random() * SURNAMES.length)]! + GIVEN[Math.floor(random() * GIVEN.length)]!
      const u = await prisma.user.upsert({
        where: { email },
        create: {
          email,
          displayName: name,
          passwordHash: hash,
          homePlatformId: p.id,
          roles: { create: [{ platformId: p.id, role: 'TEACHER' }] },
        },
        update: {},
        select: { id: true, displayName: true },
      })
      list.push(u)
    }
    out.set(p.id, list)
  }
  return out
}

const kindOf = (type: string) =>
  type === 'MICRO_LECTURE' || type === 'ONLINE_COURSE' ? 'VIDEO' : type === 'MEDIA' ? 'IMAGE' : 'DOCUMENT'

async function owners(prisma: PrismaClient) {
  const users = await prisma.user.findMany({
    where: { roles: { some: { role: { in: ['TEACHER', 'PROVIDER', 'PLATFORM_ADMIN'] } } } },
    select: { id: true, homePlatformId: true, displayName: true },
  })
  if (!users.length) throw new Error('seed users first (npm run db:seed)')
  return users
}

/** Writes the hand-written corpus; returns key → resource id. Idempotent by title and platform. */
export async function seedCorpus(prisma: PrismaClient, items: CorpusItem[] = CORPUS, defaultPlatform = 'zhuzhou') {
  const platformRows = await prisma.platform.findMany({
    where: { mode: { not: 'CONNECTED' } },
    select: { id: true, slug: true },
  })
  const platforms = new Map(platformRows.map((p) => [p.slug, p.id]))
  const users = await owners(prisma)
  // Anyone with an account may rate: the demo's named people (teachers, reviewers, pupils, parents).
  const people = await prisma.user.findMany({
    where: { phone: { not: null } },
    orderBy: { phone: 'asc' },
    select: { id: true },
  })
  const teachers = await generatedTeachers(prisma, platformRows, rng(1))
  const kps = new Map(
    (await prisma.knowledgePoint.findMany({ select: { id: true, name: true } })).map((k) => [k.name, k.id]),
  )
  const ids: Record<string, string> = {}
  // The hand-written resources stand for the province's selected ones: shared to every portal.
  const province = (await prisma.platform.findFirstOrThrow({ where: { parentId: null }, select: { id: true } })).id
  let day = 0
  for (const item of items) {
    const platformId = platforms.get(item.platform ?? defaultPlatform)!
    const existing = await prisma.resource.findFirst({ where: { title: item.title, platformId }, select: { id: true } })
    if (existing) {
      ids[item.key] = existing.id
      continue
    }
    // A demo teacher of that platform when there is one (陈晓梅 on 醴陵), else one of its generated teachers.
    const owner =
      users.find((u) => u.homePlatformId === platformId && !teachers.get(platformId)!.some((g) => g.id === u.id)) ??
      teachers.get(platformId)![0]!
    const resourceId = id('c')
    const node = await prisma.curriculumNode.findUniqueOrThrow({
      where: { id: item.node },
      select: { subject: true, grade: true },
    })
    await prisma.$transaction(async (tx) => {
      await tx.resource.create({
        data: {
          id: resourceId,
          platformId,
          ownerId: owner.id,
          status: 'PUBLISHED',
          title: item.title,
          description: item.description,
          resourceType: item.type,
          kind: kindOf(item.type),
          keywords: item.keywords ?? [],
          licence: item.licence ?? 'CC-BY-NC-SA',
          priceCents: item.price ?? null,
          subject: node.subject?.toUpperCase() ?? null,
          grade: node.grade,
          author: owner.displayName,
          provider: '',
          scopePlatformId: province,
          publishedAt: new Date(Date.now() - ++day * 86_400_000),
          downloadCount: item.downloads ?? 0,
          viewCount: viewsFor(item.downloads ?? 0, item.key),
          curriculum: { create: [{ nodeId: item.node }] },
          knowledgePoints: {
            create: (item.kps ?? []).filter((n) => kps.has(n)).map((n) => ({ knowledgePointId: kps.get(n)! })),
          },
        },
      })
      // Metadata-only entries: the extracted text and subtitles stand for what processing would store.
      await tx.resourceFile.create({
        data: {
          id: id('f'),
          resourceId,
          platformId,
          role: 'PRIMARY',
          status: 'READY',
          originalName: `${item.title}.bin`,
          size: 0n,
          kind: kindOf(item.type),
          textContent: item.text ?? null,
        },
      })
      // Real rating rows from demo users, about one per forty downloads, whose mean is the intended
      // average as nearly as whole stars allow; the summary is computed from them.
      if (item.rating) {
        const raters = people.filter((u) => u.id !== owner.id)
        const scores = scoresFor(
          item.rating,
          Math.min(raters.length, Math.max(3, Math.round((item.downloads ?? 0) / 40))),
        )
        await tx.rating.createMany({ data: scores.map((score, i) => ({ userId: raters[i]!.id, resourceId, score })) })
        await tx.resource.update({
          where: { id: resourceId },
          data: { ratingAvg: scores.reduce((a, b) => a + b, 0) / scores.length, ratingCount: scores.length },
        })
      }
      if (item.subtitles)
        await tx.resourceFile.create({
          data: {
            id: id('f'),
            resourceId,
            platformId,
            role: 'SUBTITLE',
            status: 'READY',
            originalName: '字幕.srt',
            size: 0n,
            kind: 'SUBTITLE',
            textContent: item.subtitles,
          },
        })
    }, BULK_TX)
    ids[item.key] = resourceId
  }
  return ids
}

const TYPES = [
  ['COURSEWARE', ['课件', '优质课件', '公开课课件', '复习课件']],
  ['LESSON_PLAN', ['教学设计', '教案', '优秀教案', '说课稿']],
  ['MICRO_LECTURE', ['微课', '微课视频', '知识点精讲']],
  ['STUDY_GUIDE', ['学案', '导学案', '预习学案']],
  ['EXERCISE', ['同步练习', '课时作业', '分层作业（含答案）', '习题精选']],
  ['TASK_SHEET', ['学习任务单', '自主学习任务单']],
  ['EXAM', ['单元测试卷', '单元检测（含答案）']],
] as const
const PHRASES = [
  '包含情境导入、新知探究、例题讲解和课堂小结',
  '配有分层练习和详细的答案解析',
  '适合课前预习和课后复习使用',
  '突出重点、突破难点，注重数学思想方法的渗透',
  '采用小组合作探究的方式组织课堂',
  '结合生活实例，激发学生的学习兴趣',
  '经过两轮课堂实践修改完善',
  '可直接用于公开课和校本教研',
]
const LESSON = ['第1课时', '第2课时', '第3课时', '复习课', '习题课', '']

/** Inserts `n` generated published resources (fast path: multi-row inserts). */
export async function generateResources(
  prisma: PrismaClient,
  n: number,
  seed = 1,
  onProgress?: (done: number) => void,
) {
  const random = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
  const sections = await prisma.curriculumNode.findMany({
    where: { level: 'SECTION' },
    select: { id: true, name: true, path: true, subject: true, grade: true, parentId: true },
  })
  const names = new Map(
    (await prisma.curriculumNode.findMany({ select: { id: true, name: true } })).map((x) => [x.id, x.name]),
  )
  const ckp = await prisma.curriculumKnowledgePoint.findMany({
    select: { nodeId: true, knowledgePointId: true, knowledgePoint: { select: { name: true } } },
  })
  const kpsOf = new Map<string, { id: string; name: string }[]>()
  for (const r of ckp)
    kpsOf.set(r.nodeId, [...(kpsOf.get(r.nodeId) ?? []), { id: r.knowledgePointId, name: r.knowledgePoint.name }])
  const platforms = await prisma.platform.findMany({
    where: { mode: { not: 'CONNECTED' } },
    select: { id: true, level: true, slug: true },
  })
  const users = await owners(prisma)
  const teachers = await generatedTeachers(prisma, platforms, random)
  const bare = (s: string) => s.replace(/^第[一二三四五六七八九十百]+章\s*|^\d+(\.\d+)*\s*/, '').trim()
  const BATCH = 1_000
  const now = Date.now()
  for (let done = 0; done < n;) {
    const size = Math.min(BATCH, n - done)
    const rows: unknown[][] = []
    const positions: [string, string][] = []
    const kpRows: [string, string][] = []
    const ratingRows: { userId: string; resourceId: string; score: number }[] = []
    for (let i = 0; i < size; i++) {
      const s = pick(sections)
      const [type, words] = pick(TYPES)
      const trail = s.path.split('/').map((x) => names.get(x) ?? '')
      const volume = trail[3] ?? ''
      const edition = trail[2] ?? ''
      const chapterId = s.parentId!
      const kps = (kpsOf.get(chapterId) ?? kpsOf.get(s.id) ?? []).filter(() => random() < 0.5).slice(0, 3)
      const topic = bare(s.name)
      const lesson = pick(LESSON)
      const title =
        type === 'EXAM'
          ? `${bare(names.get(chapterId) ?? '')} ${pick(words)}`
          : random() < 0.3
            ? `${edition}${volume} ${topic}${lesson ? `（${lesson}）` : ''} ${pick(words)}`
            : `${topic}${lesson ? `（${lesson}）` : ''}${pick(words)}`
      const description = `本资源围绕“${topic}”展开，${pick(PHRASES)}，${pick(PHRASES)}。适用于${edition}${volume}${kps.length ? `，涉及知识点：${kps.map((k) => k.name).join('、')}` : ''}。`
      const platform = random() < 0.1 ? platforms.find((p) => p.level === 'PROVINCE')! : pick(platforms)
      const owner = pick(teachers.get(platform.id)!)
      const premium = random() < 0.08
      const rid = id('g')
      // 0–6 distinct demo users rate it, around a per-resource quality.
      const quality = 2 + random() * 3
      const raters = users.filter(() => random() < 0.25).slice(0, Math.floor(random() * 7))
      const scores = raters.map(() => Math.max(1, Math.min(5, Math.round(quality + (random() - 0.5) * 2))))
      raters.forEach((u, k) => ratingRows.push({ userId: u.id, resourceId: rid, score: scores[k]! }))
      const rating = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0
      // Drawn in the order they always were, so the same seed gives the same catalogue.
      const licence = premium ? 'PREMIUM' : pick(['CC-BY', 'CC-BY-NC', 'CC-BY-NC-SA', 'CC-BY-SA'])
      const price = premium ? pick([990, 1990, 2990, 4900, 9900]) : null
      const publishedAt = new Date(now - Math.floor(random() * 3 * 365) * 86_400_000)
      const downloads = Math.floor(random() * 2000)
      rows.push([
        rid,
        platform.id,
        owner.id,
        title,
        description,
        type,
        kindOf(type),
        s.subject?.toUpperCase() ?? null,
        s.grade,
        licence,
        price,
        platform.id,
        publishedAt,
        rating,
        scores.length,
        downloads,
        viewsFor(downloads, seed * 1_000_003 + done + i),
        owner.displayName,
      ])
      positions.push([rid, s.id])
      for (const k of kps) kpRows.push([rid, k.id])
    }
    const cols = [
      'id',
      'platformId',
      'ownerId',
      'title',
      'description',
      'resourceType',
      'kind',
      'subject',
      'grade',
      'licence',
      'priceCents',
      'scopePlatformId',
      'publishedAt',
      'ratingAvg',
      'ratingCount',
      'downloadCount',
      'viewCount',
      'author',
    ]
    await prisma.$transaction(async (tx) => {
      // Enum columns need an explicit cast when their values arrive as text parameters.
      const cast: Record<string, string> = { kind: '::"MediaKind"' }
      const values = rows
        .map(
          (_, r) =>
            `(${cols.map((c, i) => `$${r * cols.length + i + 1}${cast[c] ?? ''}`).join(', ')}, 'PUBLISHED'::"ResourceStatus", now(), now())`,
        )
        .join(',\n')
      await tx.$executeRawUnsafe(
        `INSERT INTO "Resource" (${cols.map((c) => `"${c}"`).join(', ')}, status, "createdAt", "updatedAt") VALUES ${values}`,
        ...rows.flat(),
      )
      await tx.resourceCurriculum.createMany({
        data: positions.map(([resourceId, nodeId]) => ({ resourceId, nodeId })),
      })
      if (ratingRows.length) await tx.rating.createMany({ data: ratingRows })
      if (kpRows.length)
        await tx.resourceKnowledgePoint.createMany({
          data: kpRows.map(([resourceId, knowledgePointId]) => ({ resourceId, knowledgePointId })),
          skipDuplicates: true,
        })
    }, BULK_TX)
    done += size
    onProgress?.(done)
  }
}
