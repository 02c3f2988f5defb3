/**
 * Resource → search document. The one place that decides what Meilisearch knows about a
 * resource; both the outbox sync (one resource at a time) and the full reindex (100k at a
 * time) go through `resourceDocuments`, so they can never disagree.
 *
 * Only PUBLISHED resources become documents. Everything else is absent from the index, so a
 * search can never return a draft however its filters are written.
 */
import { prisma } from '../app/lib/db.server.ts'
import { ttlCache } from '../app/lib/ttl-cache.server.ts'
import { storage } from '../storage/index.ts'
import { objectKeys } from '../storage/keys.ts'

/** Extracted text is capped: it helps recall, but a 300-page PDF must not dominate the index. */
const TEXT_CAP = 20_000
const SUBTITLE_CAP = 10_000

export type PriceBand = 'FREE' | 'UNDER_10' | 'UNDER_50' | 'OVER_50'

export type ResourceDocument = {
  id: string
  title: string
  description: string
  keywords: string[]
  knowledgePoints: string[]
  /** Names of the chapter and section positions, with and without their numbering. */
  chapters: string[]
  text: string
  subtitles: string
  /** Where it was uploaded (the "platform" facet) and the widest portal that shows it. */
  platformId: string
  /** The uploading platform and every platform above it (the province's portal gathers all). */
  platformPath: string[]
  scopeId: string
  /** Every curriculum node at or above each position: "under this chapter" is one equality. */
  nodes: string[]
  /** The same nodes split by level: the browse tree counts one level's children with one small
   * facet instead of a facet over every node of the tree. */
  cSubject: string[]
  cEdition: string[]
  cVolume: string[]
  cChapter: string[]
  cSection: string[]
  stage: string[]
  subject: string[]
  edition: string[]
  grade: string[]
  type: string
  kind: string | null
  licence: string
  premium: boolean
  price: number
  priceBand: PriceBand
  rating: number
  ratingCount: number
  /** Whole stars of the average (0–5), the "rating" facet. */
  stars: number
  downloads: number
  publishedAt: number
  /** Milliseconds; the reconcile check compares it with PostgreSQL's updatedAt. */
  updatedAt: number
  author: string
  ownerName: string
  /** A preview image: derived prefix and the file under it (signed when a page shows it); for a
   * resource with no picture of its own, its cover card once one has been drawn. */
  thumb: { prefix: string; file: string } | null
  duration: number | null
  pages: number | null
}

type TaxNode = {
  id: string
  name: string
  level: string
  path: string
  stage: string
  subject: string | null
  edition: string | null
  grade: string | null
}
const taxonomyCache = ttlCache<'all', Map<string, TaxNode>>(60_000, 1)

/** The whole curriculum tree (a few hundred nodes), cached: mapping 100k resources must not
 * ask the database for the same chapter names again and again. */
export function taxonomyMap() {
  return taxonomyCache.get('all', async () => {
    const rows = await prisma.curriculumNode.findMany({
      select: { id: true, name: true, level: true, path: true, stage: true, subject: true, edition: true, grade: true },
    })
    return new Map(rows.map((r) => [r.id, r]))
  })
}

/** The document field that holds the children of a node at `level` (the root's are stages). */
export const CHILD_FIELD: Record<string, keyof ResourceDocument | null> = {
  ROOT: 'stage',
  STAGE: 'cSubject',
  SUBJECT: 'cEdition',
  EDITION: 'cVolume',
  VOLUME: 'cChapter',
  CHAPTER: 'cSection',
  SECTION: null,
}

export function priceBand(premium: boolean, cents: number): PriceBand {
  if (!premium || cents <= 0) return 'FREE'
  if (cents <= 1_000) return 'UNDER_10'
  if (cents <= 5_000) return 'UNDER_50'
  return 'OVER_50'
}

const uniq = <T>(xs: Iterable<T>) => [...new Set(xs)]

/** Documents for the given ids that should be in the index, and the ids that should not. */
export async function resourceDocuments(ids: string[]): Promise<{ docs: ResourceDocument[]; absent: string[] }> {
  if (!ids.length) return { docs: [], absent: [] }
  const [tax, rows] = await Promise.all([
    taxonomyMap(),
    prisma.resource.findMany({
      where: { id: { in: ids }, status: 'PUBLISHED' },
      include: {
        owner: { select: { displayName: true } },
        platform: { select: { path: true } },
        curriculum: { select: { nodeId: true } },
        knowledgePoints: { select: { knowledgePoint: { select: { name: true } } } },
        files: {
          // A file of a pending revision (a subtitle or replacement not yet approved) is not published.
          where: { status: 'READY', revisionId: null },
          select: {
            id: true,
            role: true,
            kind: true,
            textContent: true,
            probe: true,
            derivatives: {
              where: { name: { in: ['poster', 'pages', 'image'] } },
              select: { name: true, key: true, meta: true },
            },
          },
        },
      },
    }),
  ])
  // Resources with no picture of their own show their cover card, once the cover job has drawn it.
  const drawn = await existingCovers(
    rows.filter((r) => !thumbOf(r.files.find((f) => f.role === 'PRIMARY'))).map((r) => coverKeyOf(r)),
  )
  const docs = rows.map((r): ResourceDocument => {
    const positions = r.curriculum.map((c) => tax.get(c.nodeId)).filter((n): n is TaxNode => !!n)
    const nodes = uniq(positions.flatMap((p) => p.path.split('/')))
    const known = nodes.map((id) => tax.get(id)).filter((n): n is TaxNode => !!n)
    const atLevel = (level: string) => known.filter((n) => n.level === level).map((n) => n.id)
    const named = known.filter((n) => n.level === 'CHAPTER' || n.level === 'SECTION')
    const primary = r.files.find((f) => f.role === 'PRIMARY')
    const subtitles = r.files
      .filter((f) => f.role === 'SUBTITLE')
      .map((f) => f.textContent ?? '')
      .join('\n')
    const probe = (primary?.probe ?? {}) as { duration?: number; pages?: number }
    const premium = r.licence === 'PREMIUM'
    const price = premium ? (r.priceCents ?? 0) : 0
    return {
      id: r.id,
      title: r.title,
      description: r.description.slice(0, 2_000),
      keywords: r.keywords,
      knowledgePoints: r.knowledgePoints.map((k) => k.knowledgePoint.name),
      chapters: uniq(
        named.flatMap((n) => [n.name, n.name.replace(/^第[一二三四五六七八九十百]+章\s*|^\d+(\.\d+)*\s*/, '')]),
      ),
      text: (primary?.textContent ?? '').slice(0, TEXT_CAP),
      subtitles: subtitles.slice(0, SUBTITLE_CAP),
      platformId: r.platformId,
      platformPath: r.platform.path.split('/'),
      scopeId: r.scopePlatformId ?? r.platformId,
      nodes,
      cSubject: atLevel('SUBJECT'),
      cEdition: atLevel('EDITION'),
      cVolume: atLevel('VOLUME'),
      cChapter: atLevel('CHAPTER'),
      cSection: atLevel('SECTION'),
      stage: uniq(positions.map((p) => p.stage)),
      subject: uniq(positions.map((p) => p.subject).filter((x): x is string => !!x)),
      edition: uniq(positions.map((p) => p.edition).filter((x): x is string => !!x)),
      grade: uniq(positions.map((p) => p.grade).filter((x): x is string => !!x)),
      type: r.resourceType,
      kind: r.kind,
      licence: r.licence,
      premium,
      price,
      priceBand: priceBand(premium, price),
      rating: Math.round(r.ratingAvg * 10) / 10,
      ratingCount: r.ratingCount,
      stars: Math.floor(r.ratingAvg),
      downloads: r.downloadCount,
      publishedAt: Math.floor((r.publishedAt ?? r.createdAt).getTime() / 1000),
      updatedAt: r.updatedAt.getTime(),
      author: r.author,
      ownerName: r.owner.displayName,
      thumb: thumbOf(primary, drawn.has(coverKeyOf(r)) ? coverKeyOf(r) : null),
      duration: typeof probe.duration === 'number' ? Math.round(probe.duration) : null,
      pages: typeof probe.pages === 'number' ? probe.pages : null,
    }
  })
  const present = new Set(docs.map((d) => d.id))
  return { docs, absent: ids.filter((id) => !present.has(id)) }
}

export type ThumbSource = { id: string; derivatives: { name: string; key: string; meta: unknown }[] } | undefined

export type CoverSource = {
  id: string
  platformId: string
  title: string
  resourceType: string
  subject: string | null
  grade: string | null
}

/** The key of the cover card for what the resource is now (a new title is a new card). */
export function coverKeyOf(r: CoverSource) {
  return objectKeys.cover(
    { platformId: r.platformId, resourceId: r.id },
    { title: r.title, type: r.resourceType, subject: r.subject, grade: r.grade },
  )
}

/** Which of these cover keys exist in storage (a stat each, a few dozen at a time). */
export async function existingCovers(keys: string[]) {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 32)
    await Promise.all(
      keys.slice(i, i + 32).map(async (k) => {
        if (await storage.stat(k)) found.add(k)
      }),
    )
  return found
}

/** The poster of a video, the first page of a document, the smallest size of an image; failing
 * those, the resource's cover card (`cover`: its key, when it has been drawn). */
export function thumbOf(file: ThumbSource, cover: string | null = null): ResourceDocument['thumb'] {
  const fallback = cover
    ? { prefix: cover.slice(0, cover.lastIndexOf('/') + 1), file: cover.slice(cover.lastIndexOf('/') + 1) }
    : null
  if (!file) return fallback
  const d = (n: string) => file.derivatives.find((x) => x.name === n)
  const prefixOf = (key: string) => key.slice(0, key.indexOf(`/${file.id}/`) + file.id.length + 2)
  const poster = d('poster')
  if (poster) return { prefix: prefixOf(poster.key), file: poster.key.slice(prefixOf(poster.key).length) }
  const pages = d('pages')
  const first = (pages?.meta as { pages?: { file: string }[] } | null)?.pages?.[0]
  if (pages && first)
    return { prefix: prefixOf(pages.key), file: pages.key.slice(prefixOf(pages.key).length) + first.file }
  const image = d('image')
  const small = (image?.meta as { sizes?: { file: string; width: number }[] } | null)?.sizes
    ?.slice()
    .sort((a, b) => a.width - b.width)[0]
  if (image && small)
    return { prefix: prefixOf(image.key), file: image.key.slice(prefixOf(image.key).length) + small.file }
  return fallback
}
