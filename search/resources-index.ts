/**
 * The resources index: its settings, tuned for Chinese (catalogue issue, ADR 0010).
 *  - `localizedAttributes` with `cmn`: every searchable text field is segmented as Mandarin.
 *  - `dictionary`: curriculum terms from the taxonomy (knowledge points, chapter and section
 *    names without their numbering), so that 勾股定理, 一元二次方程 and 牛顿第二定律 stay whole
 *    words instead of being cut into pieces that match unrelated resources.
 *  - searchable attributes in the order a teacher's words should weigh.
 *
 * Keeping it in step with PostgreSQL (ADR 0011):
 *  - every change that alters what a document holds writes a `search.sync` job to the outbox
 *    in the same transaction (app/services/search/sync.server.ts); the job calls
 *    `syncResources`, which upserts what is published and deletes what is not, by id, so a
 *    replayed or reordered job converges on the current state;
 *  - `reindexResources` rebuilds into a fresh index and swaps it in atomically;
 *  - `reconcileResources` compares ids and update stamps on both sides and reports drift.
 */
import type { Settings } from 'meilisearch'
import { prisma } from '../app/lib/db.server.ts'
import { ttlCache } from '../app/lib/ttl-cache.server.ts'
import { indexName, search } from './client.ts'
import { resourceDocuments, type ResourceDocument } from './resource-document.ts'

export const RESOURCES = 'resources'

/** Title, keywords and curriculum words first; long extracted text last. */
export const SEARCHABLE = [
  'title',
  'keywords',
  'knowledgePoints',
  'chapters',
  'description',
  'text',
  'subtitles',
] as const

export const EQUALITY_FILTERS = [
  'scopeId',
  'platformId',
  'platformPath',
  'nodes',
  'cSubject',
  'cEdition',
  'cVolume',
  'cChapter',
  'cSection',
  'stage',
  'subject',
  'grade',
  'edition',
  'type',
  'licence',
  'priceBand',
  'stars',
  'id',
] as const

export function resourceIndexSettings(dictionary: string[]): Settings {
  return {
    searchableAttributes: [...SEARCHABLE],
    // Equality filters and facet counts only: facet search (typing inside a facet) is not used,
    // and building it for every attribute cost indexing time. Only the rating compares (≥ N).
    filterableAttributes: [
      {
        attributePatterns: [...EQUALITY_FILTERS],
        features: { facetSearch: false, filter: { equality: true, comparison: false } },
      },
      { attributePatterns: ['rating'], features: { facetSearch: false, filter: { equality: true, comparison: true } } },
    ],
    sortableAttributes: ['publishedAt', 'downloads', 'rating', 'ratingCount'],
    // Relevance first; among equally relevant hits, the better rated and more used come first.
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'rating:desc', 'downloads:desc'],
    displayedAttributes: [
      'id',
      'title',
      'description',
      'keywords',
      'knowledgePoints',
      'chapters',
      'platformId',
      'scopeId',
      'nodes',
      'stage',
      'subject',
      'grade',
      'edition',
      'priceBand',
      'stars',
      'type',
      'kind',
      'licence',
      'premium',
      'price',
      'rating',
      'ratingCount',
      'downloads',
      'publishedAt',
      'updatedAt',
      'author',
      'ownerName',
      'thumb',
      'duration',
      'pages',
      'text',
      'subtitles',
    ],
    // Only the searchable text is Chinese. Ids and codes (scope, nodes, grade, type) are matched
    // exactly; segmenting them as Mandarin too made indexing a third slower (ADR 0011).
    localizedAttributes: [{ attributePatterns: [...SEARCHABLE], locales: ['cmn'] }],
    // Proximity counted per attribute, not per word pair: Chinese queries are mostly one or two
    // curriculum terms, and word-pair proximity made indexing 1.7× slower (ADR 0011).
    proximityPrecision: 'byAttribute',
    dictionary,
    // Chinese words of 2–4 characters get no typo tolerance anyway; keep it for Latin text.
    typoTolerance: { minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    pagination: { maxTotalHits: 5_000 },
    // The browse tree asks for counts on every curriculum node at once (a few hundred).
    faceting: { maxValuesPerFacet: 1_000, sortFacetValuesBy: { '*': 'count' } },
  }
}

/** Strips textbook numbering: "第十七章 勾股定理" → "勾股定理", "17.1 勾股定理" → "勾股定理". */
export function bareTerm(name: string) {
  return name
    .replace(/^第[一二三四五六七八九十百]+章\s*/, '')
    .replace(/^\d+(\.\d+)*\s*/, '')
    .replace(/^(实验|课题学习)[：:\s]*/, '')
    .trim()
}

/** Joining words inside long curriculum names: 特殊角的三角函数值 → 特殊角 + 三角函数值. */
const JOINERS = /的|与|和|及其|及|、|，|,|——|—|：|:|\s+/

/**
 * Curriculum terms for the dictionary: knowledge points and chapter/section names, cut at their
 * joining words. A dictionary word is never split by the segmenter, so a whole long name
 * ("二次函数的图象和性质") as one word would hide the terms inside it from every query that
 * names just one of them. Only the parts go in (2–8 characters: 勾股定理, 一元二次方程,
 * 牛顿第二定律, 逆定理); long parts without joiners are left to the segmenter.
 */
export function dictionaryTerms(names: string[]) {
  const terms = new Set<string>()
  for (const name of names)
    for (const part of bareTerm(name).split(JOINERS)) {
      const t = part.trim()
      if (/^[\u4e00-\u9fff]{2,8}$/.test(t)) terms.add(t)
    }
  return [...terms].sort()
}

export async function curriculumDictionary(): Promise<string[]> {
  const [kps, nodes] = await Promise.all([
    prisma.knowledgePoint.findMany({ select: { name: true } }),
    prisma.curriculumNode.findMany({ where: { level: { in: ['CHAPTER', 'SECTION'] } }, select: { name: true } }),
  ])
  return dictionaryTerms([...kps.map((k) => k.name), ...nodes.map((n) => n.name)])
}

const termsCache = ttlCache<'all', string[]>(300_000, 1)

/** The dictionary's terms, cached for the pages that suggest them (they change with a re-seed). */
export function curriculumTerms() {
  return termsCache.get('all', curriculumDictionary)
}

/** Creates (if needed) and configures a resources index; returns its uid. */
export async function configureResourcesIndex(uid = indexName(RESOURCES)) {
  await search.createIndex(uid, { primaryKey: 'id' }).waitTask()
  await search
    .index(uid)
    .updateSettings(resourceIndexSettings(await curriculumDictionary()))
    .waitTask()
  return uid
}

export function resourcesIndexUid() {
  return indexName(RESOURCES)
}

/** Brings the index in line with PostgreSQL for these resources: upsert or delete, by id. */
export async function syncResources(ids: string[], uid = resourcesIndexUid()) {
  const { docs, absent } = await resourceDocuments([...new Set(ids)])
  const index = search.index<ResourceDocument>(uid)
  if (docs.length) await index.addDocuments(docs).waitTask()
  if (absent.length) await index.deleteDocuments(absent).waitTask()
  return { upserted: docs.length, deleted: absent.length }
}

/** Ids of every published resource, in id order, a page at a time (keyset pagination). */
async function* publishedIds(page = 2_000) {
  let after = ''
  for (;;) {
    const rows = await prisma.resource.findMany({
      where: { status: 'PUBLISHED', id: { gt: after } },
      orderBy: { id: 'asc' },
      take: page,
      select: { id: true },
    })
    if (!rows.length) return
    yield rows.map((r) => r.id)
    after = rows[rows.length - 1]!.id
  }
}

export type ReindexReport = { documents: number; seconds: number; docsPerSecond: number; caughtUp: number; uid: string }

/**
 * Rebuilds the index from PostgreSQL without downtime: documents go into a fresh index while
 * searches keep using the live one; then the two are swapped atomically and the old one is
 * dropped. Changes made while the rebuild ran are replayed onto the new index afterwards
 * (anything updated since the start), and the outbox jobs keep flowing to the live name.
 */
export async function reindexResources(
  opts: { batch?: number; onProgress?: (n: number) => void } = {},
): Promise<ReindexReport> {
  const live = resourcesIndexUid()
  const fresh = `${live}_build_${Date.now().toString(36)}`
  const started = new Date()
  const t0 = performance.now()
  // The live index must exist to swap with, but its settings are left alone: changing them would
  // make Meilisearch re-index the old documents in place, only for them to be dropped.
  if (
    !(await search.getIndex(live).then(
      () => true,
      () => false,
    ))
  )
    await search.createIndex(live, { primaryKey: 'id' }).waitTask()
  await configureResourcesIndex(fresh)
  const index = search.index<ResourceDocument>(fresh)
  let documents = 0
  // Map the next batch while Meilisearch indexes the previous one; wait for every task at the end.
  const tasks: Promise<unknown>[] = []
  for await (const ids of publishedIds(opts.batch ?? 5_000)) {
    const { docs } = await resourceDocuments(ids)
    tasks.push(index.addDocuments(docs).waitTask({ timeout: 0 }))
    documents += docs.length
    opts.onProgress?.(documents)
  }
  const failed = (await Promise.all(tasks)).filter((t) => (t as { status?: string }).status === 'failed')
  if (failed.length) {
    await search.deleteIndex(fresh).waitTask()
    throw new Error(
      `reindex: ${failed.length} indexing task(s) failed: ${JSON.stringify((failed[0] as { error?: unknown }).error)}`,
    )
  }
  const seconds = (performance.now() - t0) / 1000
  await search.swapIndexes([{ indexes: [live, fresh], rename: false }]).waitTask()
  await search.deleteIndex(fresh).waitTask()
  // Catch up on what changed during the build (published, edited, rated, unpublished).
  const changed = await prisma.resource.findMany({ where: { updatedAt: { gte: started } }, select: { id: true } })
  for (let i = 0; i < changed.length; i += 1_000)
    await syncResources(
      changed.slice(i, i + 1_000).map((r) => r.id),
      live,
    )
  return { documents, seconds, docsPerSecond: documents / seconds, caughtUp: changed.length, uid: live }
}

export type DriftReport = { database: number; index: number; missing: string[]; extra: string[]; stale: string[] }

/** Compares the published resources in PostgreSQL with the index: missing, extra and stale ids. */
export async function reconcileResources(opts: { fix?: boolean; uid?: string } = {}): Promise<DriftReport> {
  const uid = opts.uid ?? resourcesIndexUid()
  const db = new Map<string, number>()
  let after = ''
  for (;;) {
    const rows = await prisma.resource.findMany({
      where: { status: 'PUBLISHED', id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 10_000,
      select: { id: true, updatedAt: true },
    })
    if (!rows.length) break
    for (const r of rows) db.set(r.id, r.updatedAt.getTime())
    after = rows[rows.length - 1]!.id
  }
  const inIndex = new Map<string, number>()
  const index = search.index<ResourceDocument>(uid)
  for (let offset = 0; ; offset += 10_000) {
    const page = await index.getDocuments({ fields: ['id', 'updatedAt'], limit: 10_000, offset })
    for (const d of page.results) inIndex.set(d.id, d.updatedAt)
    if (page.results.length < 10_000) break
  }
  const missing = [...db.keys()].filter((id) => !inIndex.has(id))
  const extra = [...inIndex.keys()].filter((id) => !db.has(id))
  const stale = [...db].filter(([id, at]) => inIndex.has(id) && inIndex.get(id) !== at).map(([id]) => id)
  if (opts.fix) {
    const ids = [...missing, ...extra, ...stale]
    for (let i = 0; i < ids.length; i += 1_000) await syncResources(ids.slice(i, i + 1_000), uid)
  }
  return { database: db.size, index: inIndex.size, missing, extra, stale }
}
