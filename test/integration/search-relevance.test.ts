/**
 * The relevance suite: teachers' own wording against the hand-written catalogue, among 1,500
 * generated resources on the same chapters competing for the same words. Each query names the
 * resources that must be in the top ten of the real search service; recall@10 over the suite
 * must be at least 0.9. Per-query results are printed so a regression shows where it is.
 */
import { unmark } from '~/lib/text.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { parseSearchParams, searchResources } from '~/services/search/search-resources.server.ts'
import { search } from '../../search/client.ts'
import { reindexResources, resourcesIndexUid } from '../../search/resources-index.ts'
import { generateResources, seedCorpus } from '../../scripts/catalogue/generate.ts'
import { CORPUS, RELEVANCE } from '../fixtures/catalogue-corpus.ts'
import { platformBySlug, seedDemo } from '../factories/index.ts'

let keyOf = new Map<string, string>()
let idOf: Record<string, string> = {}

beforeAll(async () => {
  await seedDemo()
  idOf = await seedCorpus(prisma)
  keyOf = new Map(Object.entries(idOf).map(([k, v]) => [v, k]))
  await generateResources(prisma, 1_500, 7)
  await reindexResources()
}, 180_000)
afterAll(async () => {
  await search.deleteIndex(resourcesIndexUid()).waitTask()
})

const liling = () => platformBySlug('liling')
const query = async (q: string) =>
  (await searchResources(await liling(), parseSearchParams(new URLSearchParams({ q })), { facets: false })).hits

describe("relevance on teachers' queries", () => {
  it('measures against a fully indexed catalogue: every published resource, the hand-written ones among them', async () => {
    expect(Object.keys(idOf).sort()).toEqual(CORPUS.map((c) => c.key).sort())
    const published = await prisma.resource.count({ where: { status: 'PUBLISHED' } })
    expect(published).toBeGreaterThanOrEqual(CORPUS.length + 1_500)
    const index = search.index(resourcesIndexUid())
    expect((await index.getStats()).numberOfDocuments).toBe(published)
    const inIndex = (id: string) =>
      index.getDocument(id).then(
        () => true,
        () => false,
      )
    const missing: string[] = []
    for (const [key, id] of Object.entries(idOf)) if (!(await inIndex(id))) missing.push(key)
    expect(missing, 'hand-written resources not in the index').toEqual([])
  })

  it(`finds what ${RELEVANCE.length} real queries must find: recall@10 ≥ 0.9`, async () => {
    expect(RELEVANCE.length).toBeGreaterThanOrEqual(30)
    expect(CORPUS.length).toBeGreaterThan(40)
    // Every query names at least one resource, and only resources the corpus has: a query
    // expecting nothing, or a misspelt key, would be a free pass or a silent miss.
    const known = new Set(CORPUS.map((c) => c.key))
    for (const r of RELEVANCE) {
      expect(r.expect.length, r.q).toBeGreaterThan(0)
      expect(
        r.expect.filter((k) => !known.has(k)),
        r.q,
      ).toEqual([])
    }
    const lines: string[] = []
    let sum = 0
    let answered = 0
    for (const r of RELEVANCE) {
      const hits = await query(r.q)
      if (hits.length) answered++
      const top = hits.slice(0, 10).map((h) => keyOf.get(h.id) ?? '·')
      const recall = r.expect.filter((k) => top.includes(k)).length / r.expect.length
      sum += recall
      lines.push(
        `${recall === 1 ? 'ok  ' : 'MISS'} ${recall.toFixed(2)}  ${r.q.padEnd(16, '　')} top10: ${top.join(' ')}`,
      )
    }
    const recallAt10 = sum / RELEVANCE.length
    console.log(`relevance: recall@10 = ${recallAt10.toFixed(3)} over ${RELEVANCE.length} queries\n${lines.join('\n')}`)
    expect(answered, 'queries with any result').toBe(RELEVANCE.length)
    expect(recallAt10).toBeGreaterThanOrEqual(0.9)
  })

  it('keeps a document out when none of its words match (no false friends)', async () => {
    // The maths resources that merely contain 定理-like words are in the index and found by their own words…
    expect((await query('勾股定理')).map((h) => keyOf.get(h.id))).toContain('gg-micro')
    // …but not for 牛顿第二定律, which finds its physics resources.
    const hits = (await query('牛顿第二定律')).slice(0, 10)
    expect(hits.map((h) => keyOf.get(h.id))).toEqual(expect.arrayContaining(['nd2', 'nd2-lab']))
    for (const h of hits) expect(unmark(h.title)).not.toMatch(/勾股|函数|方程/)
  })
})
