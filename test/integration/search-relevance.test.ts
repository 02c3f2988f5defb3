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

beforeAll(async () => {
  await seedDemo()
  const ids = await seedCorpus(prisma)
  keyOf = new Map(Object.entries(ids).map(([k, v]) => [v, k]))
  await generateResources(prisma, 1_500, 7)
  await reindexResources()
}, 180_000)
afterAll(async () => {
  await search.deleteIndex(resourcesIndexUid()).waitTask()
})

describe("relevance on teachers' queries", () => {
  it(`finds what ${RELEVANCE.length} real queries must find: recall@10 ≥ 0.9`, async () => {
    expect(RELEVANCE.length).toBeGreaterThanOrEqual(30)
    expect(CORPUS.length).toBeGreaterThan(40)
    const portal = await platformBySlug('liling')
    const lines: string[] = []
    let sum = 0
    for (const r of RELEVANCE) {
      const res = await searchResources(portal, parseSearchParams(new URLSearchParams({ q: r.q })), { facets: false })
      const top = res.hits.slice(0, 10).map((h) => keyOf.get(h.id) ?? '·')
      const recall = r.expect.filter((k) => top.includes(k)).length / r.expect.length
      sum += recall
      lines.push(
        `${recall === 1 ? 'ok  ' : 'MISS'} ${recall.toFixed(2)}  ${r.q.padEnd(16, '　')} top10: ${top.join(' ')}`,
      )
    }
    const recallAt10 = sum / RELEVANCE.length
    console.log(`relevance: recall@10 = ${recallAt10.toFixed(3)} over ${RELEVANCE.length} queries\n${lines.join('\n')}`)
    expect(recallAt10).toBeGreaterThanOrEqual(0.9)
  })

  it('keeps a document out when none of its words match (no false friends)', async () => {
    const portal = await platformBySlug('liling')
    const res = await searchResources(portal, parseSearchParams(new URLSearchParams({ q: '牛顿第二定律' })), {
      facets: false,
    })
    // Physics about Newton's laws, never the maths resources that merely contain 定律-like words.
    for (const h of res.hits.slice(0, 10)) expect(unmark(h.title)).not.toMatch(/勾股|函数|方程/)
  })
})
