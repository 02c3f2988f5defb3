/**
 * `npm run bench:catalogue`: the catalogue at scale, on 100,000 generated resources (realistic
 * Chinese titles and descriptions drawn from the taxonomy; scripts/catalogue/generate.ts).
 * Every figure is set against a baseline measured in the same run; medians of several rounds.
 *
 * 1. Indexing through our pipeline (PostgreSQL → documents → Meilisearch, the reindex path):
 *    documents per second; target ≥ 5,000. Searches keep answering during the rebuild; the
 *    drift check after the swap must be clean, and finds and repairs drift made on purpose.
 * 2. Our search endpoint (/api/search) vs the same request sent straight to Meilisearch,
 *    one request at a time: p95 overhead; target ≤ 5 ms.
 * 3. The server-rendered search page at 20 connections: p95; target ≤ 100 ms, shown against a
 *    static file and against Meilisearch answering the same queries at the same concurrency.
 *
 *   BENCH_RESOURCES=100000 BENCH_ROUNDS=3 BENCH_SECONDS=10 npm run bench:catalogue
 */
import autocannon from 'autocannon'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
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
import { autocannonP95, median, p95 } from './stats.ts'

const N = Number(process.env.BENCH_RESOURCES ?? 100_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const PORT = 3411
const BASE = `http://127.0.0.1:${PORT}`
const DB = 'erc_bench_catalogue'

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
const meiliChild = await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey)
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
if (process.env.BENCH_FRESH) await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
await admin.end()
await applyMigrations(`${TEST.pgBase}/${DB}`)

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production' as const,
  PORT: String(PORT),
  APP_URL: BASE,
  DATABASE_URL: `${TEST.pgBase}/${DB}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: 'ercbenchcat',
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: TEST.meiliKey,
  MEILI_INDEX_PREFIX: 'benchcat',
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  LOG_LEVEL: 'warn',
  STORAGE_LOCAL_ROOT: path.join(ROOT, '.data/bench-storage'),
}
Object.assign(process.env, env)
execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/db/seed.ts'], { cwd: ROOT, env, stdio: 'ignore' })

// Modules that read the environment are loaded only now, after it is set.
const { prisma } = await import('../../app/lib/db.server.ts')
const { generateResources, seedCorpus } = await import('../../scripts/catalogue/generate.ts')
const { reconcileResources, reindexResources, resourcesIndexUid } = await import('../../search/resources-index.ts')
const { buildSearchRequest, parseSearchParams } = await import('../../app/services/search/search-resources.server.ts')
const { search } = await import('../../search/client.ts')
const { RELEVANCE } = await import('../fixtures/catalogue-corpus.ts')

await seedCorpus(prisma)
const have = await prisma.resource.count({ where: { status: 'PUBLISHED' } })
if (have < N) {
  const t0 = performance.now()
  await generateResources(prisma, N - have, 100, (n) => process.stdout.write(`\r  generating ${n}/${N - have}`))
  console.log(`\n  generated ${N - have} resources in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
}
const published = await prisma.resource.count({ where: { status: 'PUBLISHED' } })

// --- 1. Indexing through our pipeline, with searches running against the live index ---------
const indexing: {
  docsPerSecond: number
  seconds: number
  documents: number
  searchesDuring: number
  searchErrorsDuring: number
}[] = []
// On a fresh machine there is no live index until the first build swaps one in: searches before
// that fail by design, and only then are they not counted as downtime.
const liveBefore = await search
  .index(resourcesIndexUid())
  .getRawInfo()
  .then(
    () => true,
    () => false,
  )
for (let i = 0; i < ROUNDS; i++) {
  let during = 0
  let errors = 0
  let running = true
  const probe = (async () => {
    while (running) {
      await search
        .index(resourcesIndexUid())
        .search('勾股定理', { limit: 10 })
        .then(
          () => during++,
          () => errors++,
        )
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  const r = await reindexResources({ batch: 5_000 })
  running = false
  await probe
  const noIndexYet = i === 0 && !liveBefore
  indexing.push({
    docsPerSecond: r.docsPerSecond,
    seconds: r.seconds,
    documents: r.documents,
    searchesDuring: during,
    searchErrorsDuring: noIndexYet ? 0 : errors,
  })
  console.log(
    `  reindex ${i + 1}: ${r.documents} documents in ${r.seconds.toFixed(1)} s = ${Math.round(r.docsPerSecond)} docs/s; ${during} searches answered meanwhile, ${errors} failed${noIndexYet && errors ? ' (no index existed before this first build)' : ''}`,
  )
}
const idx = {
  docsPerSecond: median(indexing.map((x) => x.docsPerSecond)),
  seconds: median(indexing.map((x) => x.seconds)),
}

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
await search
  .index(resourcesIndexUid())
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
const driftOk =
  clean.missing.length + clean.extra.length + clean.stale.length === 0 &&
  drift.missing.length === 100 &&
  drift.stale.length === 50 &&
  after.missing.length + after.extra.length + after.stale.length === 0
console.log(
  `  drift check on ${clean.database} resources: ${checkSeconds.toFixed(1)} s, clean=${clean.missing.length + clean.extra.length + clean.stale.length === 0}; made 100 missing + 50 stale, found ${drift.missing.length} + ${drift.stale.length}, repaired in ${fixSeconds.toFixed(1)} s, clean after=${after.missing.length + after.extra.length + after.stale.length === 0}`,
)

// --- Start the web server ----------------------------------------------------------------------
execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], { cwd: ROOT, env, stdio: 'ignore' })
const server: ChildProcess = spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: 'inherit' })
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
const direct = (params: URLSearchParams) => {
  const body = buildSearchRequest(portal, parseSearchParams(params), { facets: true })
  return {
    url: `${TEST.meiliUrl}/indexes/${resourcesIndexUid()}/search`,
    init: {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST.meiliKey}`,
        'content-type': 'application/json',
        'accept-encoding': 'identity',
      },
      body: JSON.stringify(body),
    },
  }
}
const ours = (params: URLSearchParams) => `${BASE}/p/liling/api/search?${params}`
// Both sides get the same request headers: the comparison is about the work, not the encoding.
const oursInit = { headers: { 'accept-encoding': 'identity' } }
async function time(fn: () => Promise<Response>) {
  const t = performance.now()
  const r = await fn()
  await r.arrayBuffer()
  if (!r.ok) throw new Error(`HTTP ${r.status}`)
  return performance.now() - t
}

// --- 2. Endpoint overhead, one request at a time, alternating sides ------------------------------
for (const q of queries) {
  await time(() => fetch(ours(q), oursInit))
  const d = direct(q)
  await time(() => fetch(d.url, d.init))
}
const overheadRounds: { ours: number; direct: number; overhead: number }[] = []
for (let round = 0; round < ROUNDS; round++) {
  const a: number[] = []
  const b: number[] = []
  for (let rep = 0; rep < 5; rep++)
    for (const q of queries) {
      const d = direct(q)
      if ((rep + round) % 2) {
        a.push(await time(() => fetch(ours(q), oursInit)))
        b.push(await time(() => fetch(d.url, d.init)))
      } else {
        b.push(await time(() => fetch(d.url, d.init)))
        a.push(await time(() => fetch(ours(q), oursInit)))
      }
    }
  overheadRounds.push({ ours: p95(a), direct: p95(b), overhead: p95(a) - p95(b) })
}
const overhead = {
  ours: median(overheadRounds.map((r) => r.ours)),
  direct: median(overheadRounds.map((r) => r.direct)),
  overhead: median(overheadRounds.map((r) => r.overhead)),
}

// --- 3. The server-rendered search page at 20 connections -----------------------------------------
type Load = { p50: number; p95: number; rps: number; errors: number }
async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: 20, duration: DURATION, ...opts })
  const p = autocannonP95(r)
  return { p50: r.latency.p50, p95: p, rps: r.requests.average, errors: r.errors + r.non2xx }
}
const pageRequests = queries.map((q) => ({ method: 'GET' as const, path: `/p/liling/resources?${q}` }))
const meiliRequests = queries.map((q) => {
  const d = direct(q)
  return {
    method: 'POST' as const,
    path: `/indexes/${resourcesIndexUid()}/search`,
    headers: d.init.headers,
    body: d.init.body,
  }
})
const loads: Record<'static' | 'meili' | 'page', Load[]> = { static: [], meili: [], page: [] }
for (let i = 0; i < ROUNDS; i++) {
  loads.static.push(await load({ url: `${BASE}/favicon.svg` }))
  loads.meili.push(await load({ url: TEST.meiliUrl, requests: meiliRequests }))
  loads.page.push(await load({ url: BASE, requests: pageRequests }))
}
const sum = (rs: Load[]) => ({
  p50: median(rs.map((r) => r.p50)),
  p95: median(rs.map((r) => r.p95)),
  rps: median(rs.map((r) => r.rps)),
  errors: rs.reduce((a, r) => a + r.errors, 0),
})
// The same page at 5 connections: where the machine is not saturated, for comparison.
const light = await load({ url: BASE, requests: pageRequests, connections: 5 })
const pageSum = sum(loads.page)
const staticSum = sum(loads.static)
const meiliSum = sum(loads.meili)

const ok = (b: boolean) => (b ? '✔' : '✘')
console.log(`\nCatalogue benchmark on ${published.toLocaleString()} published resources; medians of ${ROUNDS} rounds\n`)
const rows = [
  ['measure', 'ours', 'baseline', 'ratio / difference', 'target'],
  [
    'indexing (reindex path)',
    `${Math.round(idx.docsPerSecond)} docs/s`,
    `${N} docs in ${idx.seconds.toFixed(1)} s`,
    '',
    `≥ 5000 docs/s ${ok(idx.docsPerSecond >= 5_000)}`,
  ],
  [
    'search endpoint p95 (1 conn)',
    `${overhead.ours.toFixed(1)} ms`,
    `Meilisearch ${overhead.direct.toFixed(1)} ms`,
    `+${overhead.overhead.toFixed(1)} ms (×${(overhead.ours / overhead.direct).toFixed(2)})`,
    `≤ +5 ms ${ok(overhead.overhead <= 5)}`,
  ],
  [
    'search page SSR p95 (20 conns)',
    `${pageSum.p95.toFixed(1)} ms`,
    `static ${staticSum.p95.toFixed(1)} ms · Meili ${meiliSum.p95.toFixed(1)} ms`,
    `×${(pageSum.p95 / Math.max(staticSum.p95, 1)).toFixed(1)} static · ×${(pageSum.p95 / Math.max(meiliSum.p95, 1)).toFixed(2)} Meili`,
    `≤ 100 ms ${ok(pageSum.p95 <= 100)}`,
  ],
  ['search page SSR p95 (5 conns)', `${light.p95.toFixed(1)} ms`, '', '', 'reported'],
  ['search page throughput', `${pageSum.rps.toFixed(0)} req/s`, `Meili ${meiliSum.rps.toFixed(0)} req/s`, '', ''],
  [
    'drift check (full set)',
    `${checkSeconds.toFixed(1)} s`,
    '',
    driftOk ? 'clean; drift found & fixed' : 'FAILED',
    ok(driftOk),
  ],
]
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd([32, 16, 34, 30, 20][i]!)).join(''))
if (pageSum.errors || meiliSum.errors) console.log(`errors: page ${pageSum.errors}, meili ${meiliSum.errors}`)
const out = path.join(ROOT, 'bench-results')
fs.mkdirSync(out, { recursive: true })
const file = path.join(out, `catalogue-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`)
fs.writeFileSync(
  file,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      resources: published,
      rounds: ROUNDS,
      durationSeconds: DURATION,
      indexing,
      drift: { checkSeconds, fixSeconds, ok: driftOk },
      overhead,
      overheadRounds,
      load: { page: pageSum, static: staticSum, meili: meiliSum, pageAt5Connections: light },
      raw: loads,
    },
    null,
    2,
  ),
)
console.log(`\nwritten ${path.relative(ROOT, file)}`)

server.kill('SIGTERM')
meiliChild?.kill('SIGTERM')
await prisma.$disconnect()
process.exit(0)
