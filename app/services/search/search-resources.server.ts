/**
 * Catalogue search. The query string a browser sends is parsed strictly here: every parameter
 * is checked against its own pattern or list and anything else is refused with a 400 and a
 * message. Filters sent to Meilisearch are built only by this code, from checked values and
 * from the portal being searched (its scope); no text from the request ever becomes filter
 * syntax. Only published resources are in the index at all (search/resource-document.ts).
 */
import { stripControl } from '~/lib/text.ts'
import { GRADES, LICENCES, RESOURCE_TYPES } from '~/lib/curriculum.ts'
import { prisma } from '~/lib/db.server.ts'
import { AppError } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'
import { thumbLink } from '../resources/media-grants.server.ts'
import { search } from '../../../search/client.ts'
import { resourcesIndexUid } from '../../../search/resources-index.ts'
import { taxonomyMap, type ResourceDocument } from '../../../search/resource-document.ts'
import type { PlatformRef } from '../authorization.server.ts'

export const PAGE_SIZE = 20
export const MAX_PAGE = 250
export const SORTS = ['relevance', 'newest', 'downloads', 'rating'] as const
export const PRICE_BANDS = ['FREE', 'UNDER_10', 'UNDER_50', 'OVER_50'] as const
export type SortCode = (typeof SORTS)[number]

/** Facets shown on the page, in order, with the document field behind each. */
export const FACETS = [
  ['stage', 'stage'],
  ['subject', 'subject'],
  ['grade', 'grade'],
  ['edition', 'edition'],
  ['type', 'type'],
  ['licence', 'licence'],
  ['price', 'priceBand'],
  ['platform', 'platformId'],
  ['rating', 'stars'],
] as const
export type FacetName = (typeof FACETS)[number][0]

const LIST_PARAMS = {
  stage: /^[a-z]{2,8}$/,
  subject: /^[a-z]{2,20}$/,
  grade: new Set<string>(GRADES),
  edition: /^[a-z0-9]{2,20}$/,
  type: new Set<string>(RESOURCE_TYPES),
  licence: new Set<string>(LICENCES),
  price: new Set<string>(PRICE_BANDS),
  platform: /^[a-z0-9]{8,40}$/,
} as const
type ListParam = keyof typeof LIST_PARAMS
const SINGLE_PARAMS = ['q', 'node', 'rating', 'sort', 'page'] as const
const KNOWN = new Set<string>([...Object.keys(LIST_PARAMS), ...SINGLE_PARAMS])
/** Parameters Remix itself adds to data requests; they never reach a filter. */
const FRAMEWORK = new Set(['_data', '_routes', 'index'])

export type SearchQuery = {
  q: string
  node: string | null
  rating: number | null
  sort: SortCode
  page: number
} & Record<ListParam, string[]>

export class BadSearchParams extends AppError {
  constructor(
    key: MessageKey,
    readonly param: string,
  ) {
    super('VALIDATION', key, { [param]: key }, { param })
  }
}

const bad = (param: string, key: MessageKey = 'search.error.badParam') => new BadSearchParams(key, param)

/** Parses and checks a search query string; throws a 400 naming the first bad parameter. */
export function parseSearchParams(params: URLSearchParams): SearchQuery {
  for (const key of params.keys())
    if (!KNOWN.has(key) && !FRAMEWORK.has(key)) throw bad(key.slice(0, 40), 'search.error.unknownParam')
  const single = (name: (typeof SINGLE_PARAMS)[number]) => {
    const all = params.getAll(name)
    if (all.length > 1) throw bad(name)
    return all[0] ?? ''
  }
  const qRaw = single('q')
  const q = stripControl(qRaw).replace(/\s+/g, ' ').trim()
  if ([...q].length > 100) throw bad('q', 'search.error.queryTooLong')
  const node = single('node')
  if (node && !/^[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,6}$/.test(node)) throw bad('node')
  const ratingRaw = single('rating')
  if (ratingRaw && !/^[1-4]$/.test(ratingRaw)) throw bad('rating')
  const sortRaw = single('sort') || 'relevance'
  if (!(SORTS as readonly string[]).includes(sortRaw)) throw bad('sort')
  const pageRaw = single('page') || '1'
  if (!/^\d{1,3}$/.test(pageRaw) || Number(pageRaw) < 1 || Number(pageRaw) > MAX_PAGE) throw bad('page')
  const lists = {} as Record<ListParam, string[]>
  for (const [name, rule] of Object.entries(LIST_PARAMS) as [ListParam, RegExp | Set<string>][]) {
    const values = [...new Set(params.getAll(name).filter((v) => v !== ''))]
    if (values.length > 10) throw bad(name)
    for (const v of values) if (rule instanceof Set ? !rule.has(v) : !rule.test(v)) throw bad(name)
    lists[name] = values
  }
  return {
    q,
    node: node || null,
    rating: ratingRaw ? Number(ratingRaw) : null,
    sort: sortRaw as SortCode,
    page: Number(pageRaw),
    ...lists,
  }
}

/** The query string for a query, for links (facet toggles, pages, sort). */
export function searchHref(base: string, q: SearchQuery, change: Partial<SearchQuery> = {}) {
  const next = { ...q, page: 1, ...change }
  const p = new URLSearchParams()
  if (next.q) p.set('q', next.q)
  if (next.node) p.set('node', next.node)
  for (const name of Object.keys(LIST_PARAMS) as ListParam[]) for (const v of next[name]) p.append(name, v)
  if (next.rating) p.set('rating', String(next.rating))
  if (next.sort !== 'relevance') p.set('sort', next.sort)
  if (next.page > 1) p.set('page', String(next.page))
  const s = p.toString()
  return s ? `${base}?${s}` : base
}

const quote = (v: string) => JSON.stringify(v)
const anyOf = (field: string, values: string[]) => `${field} IN [${values.map(quote).join(', ')}]`

/** The scope of a portal: resources whose scope platform is this one or any above it; the
 * province's portal gathers everything published in the province (see access.server.ts). */
export function scopeFilter(portal: PlatformRef) {
  if (!portal.path.includes('/')) return `platformPath = ${quote(portal.id)}`
  return anyOf('scopeId', portal.path.split('/'))
}

/** Filters from checked values only. `except` leaves one facet out (for its own counts). */
export function buildFilter(portal: PlatformRef, q: SearchQuery): string[] {
  const f = [scopeFilter(portal)]
  if (q.node) f.push(`nodes = ${quote(q.node)}`)
  const field: Record<ListParam, string> = {
    stage: 'stage',
    subject: 'subject',
    grade: 'grade',
    edition: 'edition',
    type: 'type',
    licence: 'licence',
    price: 'priceBand',
    platform: 'platformId',
  }
  for (const name of Object.keys(LIST_PARAMS) as ListParam[]) if (q[name].length) f.push(anyOf(field[name], q[name]))
  if (q.rating) f.push(`rating >= ${q.rating}`)
  return f
}

const SORT: Record<SortCode, string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc'],
  downloads: ['downloads:desc', 'publishedAt:desc'],
  rating: ['rating:desc', 'ratingCount:desc'],
}

// Markers Meilisearch puts around matches. Control characters cannot occur in indexed text we
// care about, and the page turns them into <mark> elements, never into HTML from the index.
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'

const platformNames = ttlCache<'all', Map<string, { name: string; slug: string }>>(60_000, 1)
export function platformNameMap() {
  return platformNames.get(
    'all',
    async () =>
      new Map(
        (await prisma.platform.findMany({ select: { id: true, name: true, slug: true } })).map((p) => [
          p.id,
          { name: p.name, slug: p.slug },
        ]),
      ),
  )
}

/** A result's picture: a token for that one object (never its file's other derivatives). */
export function thumbUrl(thumb: ResourceDocument['thumb']) {
  if (!thumb) return null
  try {
    return thumbLink(thumb.prefix + thumb.file)
  } catch {
    // Not a poster, first page or image size (an index written by older code): no picture
    // rather than a token for something else, and the results still show.
    return null
  }
}

export type SearchHit = {
  id: string
  title: string
  snippet: string
  type: string
  kind: string | null
  licence: string
  premium: boolean
  price: number
  rating: number
  ratingCount: number
  downloads: number
  publishedAt: number
  platform: { id: string; name: string; slug: string } | null
  thumb: string | null
  duration: number | null
  pages: number | null
  knowledgePoints: string[]
}

type Formatted = Partial<
  Record<'title' | 'description' | 'text' | 'subtitles' | 'keywords' | 'knowledgePoints', string | string[]>
>

function snippetOf(f: Formatted | undefined) {
  if (!f) return ''
  const order = ['description', 'knowledgePoints', 'keywords', 'text', 'subtitles'] as const
  const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('、') : (v ?? ''))
  for (const k of order) if (str(f[k]).includes(MARK_START)) return str(f[k])
  return str(f.description)
}

/** `childFacet`: the per-level field whose counts the browse tree shows (see CHILD_FIELD). */
export type SearchOptions = { facets?: boolean; childFacet?: string | null }

/** The exact request sent to Meilisearch for a query on a portal (the benchmark replays it). */
export function buildSearchRequest(portal: PlatformRef, q: SearchQuery, opts: SearchOptions = {}) {
  const facets: string[] = opts.facets === false ? [] : FACETS.map(([, field]) => field)
  if (opts.childFacet && !facets.includes(opts.childFacet)) facets.push(opts.childFacet)
  return {
    q: q.q,
    filter: buildFilter(portal, q),
    sort: SORT[q.sort],
    page: q.page,
    hitsPerPage: PAGE_SIZE,
    facets,
    attributesToRetrieve: [
      'id',
      'title',
      'type',
      'kind',
      'licence',
      'premium',
      'price',
      'rating',
      'ratingCount',
      'downloads',
      'publishedAt',
      'platformId',
      'thumb',
      'duration',
      'pages',
      'knowledgePoints',
    ],
    attributesToHighlight: q.q ? ['title', 'description', 'keywords', 'knowledgePoints'] : [],
    attributesToCrop: q.q ? ['description:36', 'text:36', 'subtitles:36'] : ['description:36'],
    cropMarker: '…',
    highlightPreTag: MARK_START,
    highlightPostTag: MARK_END,
  }
}

/** Runs a search for a portal. */
export async function searchResources(portal: PlatformRef, q: SearchQuery, opts: SearchOptions = {}) {
  const { q: text, ...params } = buildSearchRequest(portal, q, opts)
  const res = await search.index<ResourceDocument>(resourcesIndexUid()).search(text, params)
  const names = await platformNameMap()
  const hits: SearchHit[] = res.hits.map((h) => {
    const f = h._formatted as Formatted | undefined
    const p = names.get(h.platformId)
    return {
      id: h.id,
      title: typeof f?.title === 'string' ? f.title : h.title,
      snippet: snippetOf(f),
      type: h.type,
      kind: h.kind,
      licence: h.licence,
      premium: h.premium,
      price: h.price,
      rating: h.rating,
      ratingCount: h.ratingCount,
      downloads: h.downloads,
      publishedAt: h.publishedAt,
      platform: p ? { id: h.platformId, ...p } : null,
      thumb: thumbUrl(h.thumb),
      duration: h.duration,
      pages: h.pages,
      knowledgePoints: h.knowledgePoints.slice(0, 4),
    }
  })
  return {
    hits,
    total: res.totalHits ?? 0,
    totalPages: res.totalPages ?? 0,
    page: q.page,
    facets: (res.facetDistribution ?? {}) as Record<string, Record<string, number>>,
    tookMs: res.processingTimeMs,
  }
}

export type SearchResult = Awaited<ReturnType<typeof searchResources>>

/** Published resources in the same chapters as this one, best rated first. */
export async function relatedResources(portal: PlatformRef, resource: { id: string; nodeIds: string[] }, limit = 6) {
  // Related means the same chapter: a position on a section widens to its chapter; a position
  // above chapter level (a whole volume) stays as it is.
  const tax = await taxonomyMap()
  const chapterOf = (id: string) =>
    tax
      .get(id)
      ?.path.split('/')
      .find((x) => tax.get(x)?.level === 'CHAPTER') ?? id
  const within = [...new Set(resource.nodeIds.map(chapterOf))]
  if (!within.length) return []
  const res = await search.index<ResourceDocument>(resourcesIndexUid()).search('', {
    filter: [scopeFilter(portal), anyOf('nodes', within), `id != ${quote(resource.id)}`],
    sort: ['rating:desc', 'downloads:desc'],
    limit,
    attributesToRetrieve: ['id', 'title', 'type', 'kind', 'thumb', 'rating', 'premium', 'price'],
  })
  return res.hits.map((h) => ({
    id: h.id,
    title: h.title,
    type: h.type,
    kind: h.kind,
    thumb: thumbUrl(h.thumb),
    rating: h.rating,
    premium: h.premium,
    price: h.price,
  }))
}

type Latest = {
  total: number
  hits: { id: string; title: string; type: string; thumb: ResourceDocument['thumb']; premium: boolean; price: number }[]
}
const latestCache = ttlCache<string, Latest>(60_000, 500)
// When search cannot answer, the home page says nothing for a few seconds instead of asking
// again on every visit (a busy home page must not hammer a search server that is down).
const latestDownUntil = new Map<string, number>()

/** The newest published resources a portal shows, and how many there are (home page). Cached
 * for a minute per portal: the home page is the busiest page and this changes slowly.
 * Null when search is unavailable. */
export async function latestForPortal(portal: PlatformRef, limit = 8) {
  if ((latestDownUntil.get(portal.id) ?? 0) > Date.now()) return null
  const cached = await latestCache
    .get(portal.id, async () => {
      const res = await search.index<ResourceDocument>(resourcesIndexUid()).search('', {
        filter: [scopeFilter(portal)],
        sort: ['publishedAt:desc'],
        limit,
        attributesToRetrieve: ['id', 'title', 'type', 'thumb', 'premium', 'price'],
      })
      return {
        total: res.estimatedTotalHits ?? res.hits.length,
        hits: res.hits.map((h) => ({
          id: h.id,
          title: h.title,
          type: h.type,
          thumb: h.thumb,
          premium: h.premium,
          price: h.price,
        })),
      }
    })
    .catch((err: unknown) => {
      latestDownUntil.set(portal.id, Date.now() + 5_000)
      throw err
    })
  // Thumbnail URLs are signed per request, never cached.
  return { total: cached.total, hits: cached.hits.map((h) => ({ ...h, thumb: thumbUrl(h.thumb) })) }
}
