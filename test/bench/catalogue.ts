/**
 * `npm run bench:catalogue` (second in `npm run bench`): the catalogue at scale, on 100,000
 * generated resources (realistic Chinese titles and descriptions drawn from the taxonomy;
 * scripts/catalogue/generate.ts). Every figure is set against a baseline measured in the same
 * run; medians of rounds, and every round runs both (or all three) sides, in reversed order
 * every other round.
 *
 * 1. Indexing through our pipeline (PostgreSQL → documents → Meilisearch, the reindex path) vs
 *    Meilisearch indexing the same documents pushed straight to it with the meilisearch client,
 *    into a scratch index with the live index's settings (checked equal), same batch size.
 *    Documents per second and their ratio; target ≥ 5,000 docs/s. Searches keep answering
 *    during our rebuild (any failed or empty answer makes the run invalid); the drift check
 *    after the swap must be clean, and must find and repair drift made on purpose.
 * 2. Our search endpoint (/api/search) vs the same request sent straight to Meilisearch, one
 *    request at a time: p95 overhead; target ≤ 5 ms. Before timing, each query's hits from both
 *    sides must be the same documents, so the baseline does the same search.
 * 3. The server-rendered search page at 20 connections: p95; target ≤ 100 ms, shown against a
 *    static file and against Meilisearch answering the same queries at the same concurrency.
 *
 * The run is INVALID (exit status 1, one "INVALID RUN: …" line, no table, no JSON) if anything
 * failed: a non-2xx response or a connection error or timeout in any round or warm-up, a search
 * that failed or came back empty during the rebuild, a failed indexing task, the two indexing
 * sides holding different numbers of documents, or the drift check (test/bench/harness.ts).
 *
 *   BENCH_RESOURCES=100000 BENCH_ROUNDS=3 BENCH_SECONDS=10 npm run bench:catalogue   the defaults
 *   BENCH_QUICK=1 npm run bench:catalogue    short mode: 1,500 resources, 2 rounds of 2 s
 *   Fewer than 100,000 resources use their own database and index prefix (erc_bench_catalogue_small,
 *   benchcatsmall), rebuilt every run, so a short run never disturbs the 100k corpus.
 *   BENCH_FRESH=1                            rebuild the 100k database too
 *   BENCH_SELFTEST_BREAK="search page, ours@2"   self-test only: that round requests a missing
 *                                            page, and the run must refuse
 */
import { spawn } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import path from 'node:path'
import { Meilisearch, type Settings } from 'meilisearch'
import pg from 'pg'
import {
  ROOT,
  WEB_NODE_ARGS,
  ensureMeilisearch,
  waitForHttp,
  ensurePostgres,
  ensureRedis,
} from '../../scripts/lib/services.ts'
import { TEST } from '../setup/test-config.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import {
  QUICK,
  alternatingRounds,
  check,
  measureLoad,
  median,
  ownChild,
  p95,
  ratio,
  refuseOnFailure,
  roundName,
  roundOrder,
  selfTestPath,
  setting,
  setupStep,
  summarise,
  tableRow,
  writeResults,
  type Expect,
  type Load,
  type Round,
  BENCH_STRIPE_ENV,
} from './harness.ts'

refuseOnFailure()
const N = setting('BENCH_RESOURCES', 100_000, 1_500)
const ROUNDS = setting('BENCH_ROUNDS', 3, 2)
const DURATION = setting('BENCH_SECONDS', 10, 2)
const SMALL = N < 100_000
const PORT = 3411
const BASE = `http://127.0.0.1:${PORT}`
const DB = SMALL ? 'erc_bench_catalogue_small' : 'erc_bench_catalogue'
const PREFIX = SMALL ? 'benchcatsmall' : 'benchcat'
const BATCH = 5_000
const CONNECTIONS = 20

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
ownChild(await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey))
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
if (process.env.BENCH_FRESH || SMALL) await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
await admin.end()
await applyMigrations(`${TEST.pgBase}/${DB}`)

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production' as const,
  PORT: String(PORT),
  APP_URL: BASE,
  DATABASE_URL: `${TEST.pgBase}/${DB}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: `erc${PREFIX}`,
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: TEST.meiliKey,
  MEILI_INDEX_PREFIX: PREFIX,
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  ...BENCH_STRIPE_ENV,
  LOG_LEVEL: 'warn',
  STORAGE_LOCAL_ROOT: path.join(ROOT, '.data/bench-storage'),
}
Object.assign(process.env, env)
setupStep('seeding the demo data', path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/db/seed.ts'], { cwd: ROOT, env })

// Modules that read the environment are loaded only now, after it is set.
const { prisma } = await import('../../app/lib/db.server.ts')
const { generateResources, seedCorpus } = await import('../../scripts/catalogue/generate.ts')
const { reconcileResources, reindexResources, resourcesIndexUid } = await import('../../search/resources-index.ts')
const { resourceDocuments } = await import('../../search/resource-document.ts')
const { buildSearchRequest, parseSearchParams } = await import('../../app/services/search/search-resources.server.ts')
const { RELEVANCE } = await import('../fixtures/catalogue-corpus.ts')

// The baseline's own client: the meilisearch package as it comes, with the request and wait
// options our search module uses (identity encoding; task polling every 50 ms).
const meili = new Meilisearch({
  host: TEST.meiliUrl,
  apiKey: TEST.meiliKey,
  requestInit: { headers: { 'accept-encoding': 'identity' } },
  timeout: 30_000,
  defaultWaitOptions: { timeout: 30 * 60_000, interval: 50 },
})

await seedCorpus(prisma)
const have = await prisma.resource.count({ where: { status: 'PUBLISHED' } })
if (have < N) {
  const t0 = performance.now()
  await generateResources(prisma, N - have, 100, (n) => process.stdout.write(`\r  generating ${n}/${N - have}`))
  console.log(`\n  generated ${N - have} resources in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
}
const published = await prisma.resource.count({ where: { status: 'PUBLISHED' } })

// --- 1. Indexing: our reindex path vs the same documents pushed straight to Meilisearch ---------
const live = resourcesIndexUid()
// One untimed build first: a warm-up for both sides, a live index for the searches during the
// timed rebuilds (they must all succeed), and the settings the baseline's scratch index gets.
console.log("  one untimed build first (warm-up; its settings are the baseline's)")
await reindexResources({ batch: BATCH })
const liveSettings: Settings = await meili.index(live).getSettings()

// The baseline's documents: exactly what the reindex path sends, mapped once, outside the timing.
const batches: Awaited<ReturnType<typeof resourceDocuments>>['docs'][] = []
for (let after = ''; ;) {
  const rows = await prisma.resource.findMany({
    where: { status: 'PUBLISHED', id: { gt: after } },
    orderBy: { id: 'asc' },
    take: BATCH,
    select: { id: true },
  })
  if (!rows.length) break
  batches.push((await resourceDocuments(rows.map((r) => r.id))).docs)
  after = rows[rows.length - 1]!.id
}
const documents = batches.reduce((a, b) => a + b.length, 0)
check(documents > 0, 'no published resources to index')

type Indexing = { documents: number; seconds: number; docsPerSecond: number; searchesDuring?: number }

async function ourIndexing(round: number): Promise<Indexing> {
  const label = 'indexing, our reindex path'
  let answered = 0
  let failed = 0
  let empty = 0
  let running = true
  const probe = (async () => {
    while (running) {
      await meili
        .index(live)
        .search('勾股定理', { limit: 10 })
        .then(
          (r) => (r.hits.length ? answered++ : empty++),
          () => failed++,
        )
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  const r = await reindexResources({ batch: BATCH })
  running = false
  await probe
  check(
    !failed && !empty,
    `${failed} searches failed and ${empty} came back empty during the rebuild in ${roundName(round)} (${label})`,
  )
  check(
    r.documents === documents,
    `our reindex indexed ${r.documents} documents, the direct baseline has ${documents}, in ${roundName(round)}`,
  )
  const stats = await meili.index(live).getStats()
  check(
    isDeepStrictEqual(await meili.index(live).getSettings(), liveSettings),
    `the live index's settings changed during ${roundName(round)} (${label}): the baseline's are not the same`,
  )
  check(
    stats.numberOfDocuments === documents,
    `the live index holds ${stats.numberOfDocuments} documents after the swap, not ${documents}, in ${roundName(round)} (${label})`,
  )
  console.log(
    `    ours:   ${r.documents} documents in ${r.seconds.toFixed(2)} s = ${Math.round(r.docsPerSecond)} docs/s; ${answered} searches answered meanwhile`,
  )
  return { documents: r.documents, seconds: r.seconds, docsPerSecond: r.docsPerSecond, searchesDuring: answered }
}

async function directIndexing(round: number): Promise<Indexing> {
  const label = 'indexing, Meilisearch direct'
  const uid = `${PREFIX}_direct_scratch_${Date.now().toString(36)}`
  const index = meili.index(uid)
  // Timed like the reindex path: from creating the index to the last batch indexed.
  const t0 = performance.now()
  await meili.createIndex(uid, { primaryKey: 'id' }).waitTask()
  const configured = await index.updateSettings(liveSettings).waitTask()
  const tasks: Promise<{ status: string; error?: unknown }>[] = []
  for (const docs of batches) {
    const enqueued = index.addDocuments(docs)
    await enqueued
    tasks.push(enqueued.waitTask({ timeout: 0 }))
  }
  const done = await Promise.all(tasks)
  const secs = (performance.now() - t0) / 1000
  const failed = [configured, ...done].filter((t) => t.status !== 'succeeded')
  const stats = await index.getStats()
  const sameSettings = isDeepStrictEqual(await index.getSettings(), liveSettings)
  await meili.deleteIndex(uid).waitTask()
  check(
    !failed.length,
    () =>
      `${failed.length} indexing tasks failed in ${roundName(round)} (${label}): ${JSON.stringify(failed[0]?.error)}`,
  )
  check(
    stats.numberOfDocuments === documents,
    `the scratch index holds ${stats.numberOfDocuments} documents, not ${documents}, in ${roundName(round)} (${label})`,
  )
  check(sameSettings, `the scratch index's settings differ from the live index's in ${roundName(round)} (${label})`)
  console.log(`    direct: ${documents} documents in ${secs.toFixed(2)} s = ${Math.round(documents / secs)} docs/s`)
  return { documents, seconds: secs, docsPerSecond: documents / secs }
}

const indexing = await alternatingRounds(ROUNDS, { ours: ourIndexing, direct: directIndexing })
const idx = {
  ours: median(indexing.ours.map((x) => x.docsPerSecond)),
  direct: median(indexing.direct.map((x) => x.docsPerSecond)),
  oursSeconds: median(indexing.ours.map((x) => x.seconds)),
  directSeconds: median(indexing.direct.map((x) => x.seconds)),
}
const indexingRatio = ratio(idx.ours, idx.direct, 'indexing docs/s')

// --- Drift check on the full set: clean after the swap; finds and fixes drift made on purpose --
const t0 = performance.now()
const clean = await reconcileResources()
const checkSeconds = (performance.now() - t0) / 1000
const victims = await prisma.resource.findMany({
  where: { status: 'PUBLISHED' },
  take: 150,
  orderBy: { id: 'desc' },
  select: { id: true },
})
check(victims.length === 150, `the drift check needs 150 published resources, there are ${victims.length}`)
await meili
  .index(live)
  .deleteDocuments(victims.slice(0, 100).map((v) => v.id))
  .waitTask()
await prisma.resource.updateMany({
  where: { id: { in: victims.slice(100).map((v) => v.id) } },
  data: { title: '被悄悄修改的标题' },
})
const drift = await reconcileResources()
const t1 = performance.now()
await reconcileResources({ fix: true })
const fixSeconds = (performance.now() - t1) / 1000
const after = await reconcileResources()
const driftCount = (d: typeof clean) => d.missing.length + d.extra.length + d.stale.length
console.log(
  `  drift check on ${clean.database} resources: ${checkSeconds.toFixed(1)} s, clean=${driftCount(clean) === 0}; made 100 missing + 50 stale, found ${drift.missing.length} + ${drift.stale.length}, repaired in ${fixSeconds.toFixed(1)} s, clean after=${driftCount(after) === 0}`,
)
check(driftCount(clean) === 0, `the drift check found ${driftCount(clean)} differences right after the rebuild`)
check(
  drift.missing.length === 100 && drift.stale.length === 50 && drift.extra.length === 0,
  `the drift check found ${drift.missing.length} missing + ${drift.stale.length} stale + ${drift.extra.length} extra, not the 100 + 50 + 0 made`,
)
check(driftCount(after) === 0, `${driftCount(after)} differences remain after the repair`)

// --- Start the web server ----------------------------------------------------------------------
setupStep('building the server (remix build)', path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
  cwd: ROOT,
  env,
})
ownChild(spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: 'inherit' }))
await waitForHttp(`${BASE}/readyz`, 30_000)

// The queries: teachers' words, with and without filters, sorts and pages.
const portal = await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' }, select: { id: true, path: true } })
const queries = [
  ...RELEVANCE.map((r) => new URLSearchParams({ q: r.q })),
  new URLSearchParams({ q: '二次函数', type: 'MICRO_LECTURE' }),
  new URLSearchParams({ q: '勾股定理', sort: 'rating', page: '2' }),
  new URLSearchParams({ node: 'jh.math.pep.8b.c2' }),
  new URLSearchParams({ stage: 'jh', subject: 'math', grade: 'G9', price: 'FREE' }),
  new URLSearchParams({ q: '课件', licence: 'CC-BY', rating: '4', sort: 'downloads' }),
]
const meiliHeaders = {
  authorization: `Bearer ${TEST.meiliKey}`,
  'content-type': 'application/json',
  'accept-encoding': 'identity',
}
const directBody = (params: URLSearchParams) =>
  JSON.stringify(buildSearchRequest(portal, parseSearchParams(params), { facets: true }))
const directPath = `/indexes/${live}/search`
const oursPath = (params: URLSearchParams) => `/p/liling/api/search?${params}`
// Both sides get the same request headers: the comparison is about the work, not the encoding.
const oursInit = { headers: { 'accept-encoding': 'identity' } }

type Side = 'ours' | 'direct'
const sideLabel: Record<Side, string> = { ours: 'search endpoint, ours', direct: 'search, Meilisearch direct' }
function request(side: Side, q: URLSearchParams, round: Round) {
  return side === 'ours'
    ? fetch(BASE + selfTestPath(sideLabel.ours, round, oursPath(q)), oursInit)
    : fetch(TEST.meiliUrl + selfTestPath(sideLabel.direct, round, directPath), {
        method: 'POST',
        headers: meiliHeaders,
        body: directBody(q),
      })
}
async function time(side: Side, q: URLSearchParams, round: Round) {
  const t = performance.now()
  const r = await request(side, q, round)
  await r.arrayBuffer()
  const ms = performance.now() - t
  check(r.ok, `HTTP ${r.status} for ${q} in ${roundName(round)} (${sideLabel[side]})`)
  return ms
}

// Before anything is timed: both sides answer every query with the same documents.
for (const q of queries) {
  const [a, b] = await Promise.all([request('ours', q, 'warm-up'), request('direct', q, 'warm-up')])
  check(a.ok && b.ok, `the warm-up query ${q} answered ${a.status} (ours) and ${b.status} (Meilisearch)`)
  const ours = (await a.json()) as { total: number; hits: { id: string }[] }
  const direct = (await b.json()) as { totalHits?: number; hits: { id: string }[] }
  check(
    ours.total === direct.totalHits &&
      isDeepStrictEqual(
        ours.hits.map((h) => h.id),
        direct.hits.map((h) => h.id),
      ),
    `for ${q} our endpoint found ${ours.total} (${ours.hits.length} on the page) and Meilisearch ${direct.totalHits} (${direct.hits.length}): not the same search`,
  )
}

// --- 2. Endpoint overhead, one request at a time, alternating sides ------------------------------
const overheadRounds: { ours: number; direct: number; overhead: number }[] = []
for (let round = 0; round < ROUNDS; round++) {
  const samples: Record<Side, number[]> = { ours: [], direct: [] }
  for (let rep = 0; rep < 5; rep++)
    for (const q of queries)
      for (const side of roundOrder(rep + round, ['ours', 'direct'] as const))
        samples[side].push(await time(side, q, round))
  overheadRounds.push({
    ours: p95(samples.ours),
    direct: p95(samples.direct),
    overhead: p95(samples.ours) - p95(samples.direct),
  })
}
const overhead = {
  ours: median(overheadRounds.map((r) => r.ours)),
  direct: median(overheadRounds.map((r) => r.direct)),
  overhead: median(overheadRounds.map((r) => r.overhead)),
}
const overheadRatio = ratio(overhead.ours, overhead.direct, 'search endpoint p95')

// --- 3. The server-rendered search page at 20 connections -----------------------------------------
const pageRequests = queries.map((q) => ({ method: 'GET' as const, path: `/p/liling/resources?${q}` }))
const meiliRequests = queries.map((q) => ({
  method: 'POST' as const,
  path: directPath,
  headers: meiliHeaders,
  body: directBody(q),
}))
// What each answer must be (ASCII markers: autocannon decodes a body chunk by chunk).
const isResultsPage: Expect = {
  verify: (r) => r.body.includes('data-testid="result-count"') && !r.body.includes('data-testid="search-error"'),
  what: 'a results page',
}
const isMeiliAnswer: Expect = { verify: (r) => r.body.includes('"hits":'), what: 'a Meilisearch answer' }
const scenarios = {
  static: { label: 'static file', opts: { url: `${BASE}/favicon.svg` }, expect: {} },
  meili: {
    label: 'search, Meilisearch direct',
    opts: { url: TEST.meiliUrl, requests: meiliRequests },
    expect: isMeiliAnswer,
  },
  page: { label: 'search page, ours', opts: { url: BASE, requests: pageRequests }, expect: isResultsPage },
} satisfies Record<string, { label: string; opts: Parameters<typeof measureLoad>[2]; expect: Expect }>
type Name = keyof typeof scenarios
const names = Object.keys(scenarios) as Name[]
const load = (name: Name, round: Round, extra: Partial<Parameters<typeof measureLoad>[2]>) =>
  measureLoad(
    scenarios[name].label,
    round,
    { connections: CONNECTIONS, ...scenarios[name].opts, ...extra },
    scenarios[name].expect,
  )

for (const name of names) await load(name, 'warm-up', { amount: CONNECTIONS * queries.length })
const loads = await alternatingRounds(
  ROUNDS,
  Object.fromEntries(names.map((n) => [n, (round: number) => load(n, round, { duration: DURATION })])) as Record<
    Name,
    (round: number) => Promise<Load>
  >,
)
// The same page at 5 connections: where the machine is not saturated, for comparison.
const light = await measureLoad(
  'search page, ours, 5 connections',
  0,
  { ...scenarios.page.opts, duration: DURATION, connections: 5 },
  scenarios.page.expect,
)
const pageSum = summarise(loads.page)
const staticSum = summarise(loads.static)
const meiliSum = summarise(loads.meili)
const pageOverStatic = ratio(pageSum.p95, staticSum.p95, 'search page p95 over the static file')
const pageOverMeili = ratio(pageSum.p95, meiliSum.p95, 'search page p95 over Meilisearch')

// --- report (only a valid run gets here) -----------------------------------------------------------
const ok = (b: boolean) => (b ? '✔' : '✘')
console.log(
  `\nCatalogue benchmark on ${published.toLocaleString()} published resources; medians of ${ROUNDS} rounds (alternating order); every response checked${QUICK ? '; QUICK MODE: a smoke run, not a result' : ''}\n`,
)
const rows = [
  ['measure', 'ours', 'baseline', 'ratio / difference', 'target'],
  [
    'indexing (reindex path)',
    `${Math.round(idx.ours)} docs/s`,
    `Meili direct ${Math.round(idx.direct)} docs/s`,
    `×${indexingRatio.toFixed(2)} (${idx.oursSeconds.toFixed(1)} s vs ${idx.directSeconds.toFixed(1)} s)`,
    `≥ 5000 docs/s ${ok(idx.ours >= 5_000)}`,
  ],
  [
    'search endpoint p95 (1 conn)',
    `${overhead.ours.toFixed(1)} ms`,
    `Meilisearch ${overhead.direct.toFixed(1)} ms`,
    `+${overhead.overhead.toFixed(1)} ms (×${overheadRatio.toFixed(2)})`,
    `≤ +5 ms ${ok(overhead.overhead <= 5)}`,
  ],
  [
    `search page SSR p95 (${CONNECTIONS} conns)`,
    `${pageSum.p95.toFixed(1)} ms`,
    `static ${staticSum.p95.toFixed(2)} ms · Meili ${meiliSum.p95.toFixed(1)} ms`,
    `×${pageOverStatic.toFixed(1)} static · ×${pageOverMeili.toFixed(2)} Meili`,
    `≤ 100 ms ${ok(pageSum.p95 <= 100)}`,
  ],
  ['search page SSR p95 (5 conns)', `${light.p95.toFixed(1)} ms`, '', '', 'reported'],
  ['search page throughput', `${pageSum.rps.toFixed(0)} req/s`, `Meili ${meiliSum.rps.toFixed(0)} req/s`, '', ''],
  ['drift check (full set)', `${checkSeconds.toFixed(1)} s`, '', 'clean; drift found & fixed', ok(true)],
]
for (const r of rows) console.log(tableRow(r, [32, 16, 36, 32, 20]))
const file = writeResults(ROOT, 'catalogue', {
  resources: published,
  documents,
  rounds: ROUNDS,
  durationSeconds: DURATION,
  indexing: { ...idx, ratio: indexingRatio, rounds: indexing },
  drift: { checkSeconds, fixSeconds, ok: true },
  overhead: { ...overhead, ratio: overheadRatio, rounds: overheadRounds },
  load: {
    page: pageSum,
    static: staticSum,
    meili: meiliSum,
    pageOverStatic,
    pageOverMeili,
    pageAt5Connections: light,
  },
  raw: loads,
})
console.log(`\nwritten ${file}`)
await prisma.$disconnect()
process.exit(0)
