/**
 * `npm run bench`: performance as ratios against a baseline measured in the same run, on the
 * same server, so a noisy shared machine affects both sides alike. Medians of several rounds.
 * Prints a table and writes bench-results/<date>.json.
 *
 * 1. Home page (server-rendered, database reads) vs a static file, 20 connections:
 *    target: home p95 ≤ 5 × static p95.
 * 2. Sign-in (scrypt hash + session) throughput and latency, 20 connections, reported against
 *    the static baseline too (it is deliberately expensive: memory-hard hashing).
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
import { autocannonP95, median } from './stats.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'

const PORT = 3410
const BASE = `http://127.0.0.1:${PORT}`
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const DB = 'erc_bench'

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
const meili = await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey)
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
await admin.end()
await applyMigrations(`${TEST.pgBase}/${DB}`)

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production' as const,
  PORT: String(PORT),
  APP_URL: BASE,
  DATABASE_URL: `${TEST.pgBase}/${DB}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: 'ercbench',
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: TEST.meiliKey,
  MEILI_INDEX_PREFIX: 'benchweb',
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  LOG_LEVEL: 'warn',
  // The bench signs in far more often than a person would; lift the throttle for it.
  SIGNIN_MAX_FAILURES: '1000000',
  STORAGE_LOCAL_ROOT: path.join(ROOT, '.data/bench-storage'),
}
execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/db/seed.ts'], { cwd: ROOT, env, stdio: 'ignore' })
// A published, indexed catalogue, so that the home page shows what it shows in use (newest resources).
execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/catalogue/seed.ts', '500'], {
  cwd: ROOT,
  env,
  stdio: 'ignore',
})
execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], { cwd: ROOT, env, stdio: 'ignore' })
const server: ChildProcess = spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: 'inherit' })
await waitForHttp(`${BASE}/readyz`, 20_000)

// A signed-in form needs the CSRF cookie and token of a real page.
const page = await fetch(`${BASE}/p/liling/login`)
const cookie = page.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ')
const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
const signInBody = new URLSearchParams({ _csrf: token, identifier: '13800000033', password: 'Hunan2026' }).toString()

type Result = { p50: number; p95: number; rps: number; errors: number }
async function load(opts: autocannon.Options): Promise<Result> {
  const r = await autocannon({ connections: 20, duration: DURATION, ...opts })
  return {
    p50: r.latency.p50,
    p95: r.latency.p97_5 > 0 ? autocannonP95(r) : r.latency.p97_5,
    rps: r.requests.average,
    errors: r.errors + r.non2xx,
  }
}

const scenarios = {
  static: { url: `${BASE}/favicon.svg` },
  home: { url: `${BASE}/p/hunan` },
  signIn: {
    url: `${BASE}/p/liling/login`,
    method: 'POST' as const,
    body: signInBody,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  },
}
const rounds: Record<string, Result[]> = { static: [], home: [], signIn: [] }
for (let i = 0; i < ROUNDS; i++)
  for (const [name, opts] of Object.entries(scenarios)) rounds[name]!.push(await load(opts))

const summary = Object.fromEntries(
  Object.entries(rounds).map(([name, rs]) => [
    name,
    {
      p50: median(rs.map((r) => r.p50)),
      p95: median(rs.map((r) => r.p95)),
      rps: median(rs.map((r) => r.rps)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
    },
  ]),
) as Record<keyof typeof scenarios, Result>
// Sign-in answers 302 by design; autocannon counts that as non-2xx, so errors are not meaningful there.
summary.signIn.errors = 0

const homeRatio = summary.home.p95 / Math.max(summary.static.p95, 1)
const signInRatio = summary.signIn.p95 / Math.max(summary.static.p95, 1)
const rows = [
  ['scenario', 'p50 ms', 'p95 ms', 'req/s', 'p95 ÷ static p95', 'target'],
  ['static file', summary.static.p50, summary.static.p95.toFixed(1), summary.static.rps.toFixed(0), '1.00', ''],
  [
    'home page (SSR)',
    summary.home.p50,
    summary.home.p95.toFixed(1),
    summary.home.rps.toFixed(0),
    homeRatio.toFixed(2),
    homeRatio <= 5 ? '≤ 5 ✔' : '≤ 5 ✘',
  ],
  [
    'sign-in (scrypt)',
    summary.signIn.p50,
    summary.signIn.p95.toFixed(1),
    summary.signIn.rps.toFixed(0),
    signInRatio.toFixed(2),
    'reported',
  ],
]
console.log(`\nWeb benchmark: 20 connections, ${DURATION} s × ${ROUNDS} rounds, medians\n`)
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(i === 0 ? 18 : 16)).join(''))
const out = path.join(ROOT, 'bench-results')
fs.mkdirSync(out, { recursive: true })
const file = path.join(out, `web-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`)
fs.writeFileSync(
  file,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      rounds: ROUNDS,
      durationSeconds: DURATION,
      connections: 20,
      summary,
      ratios: { homeP95OverStaticP95: homeRatio, signInP95OverStaticP95: signInRatio },
      raw: rounds,
    },
    null,
    2,
  ),
)
console.log(`\nwritten ${path.relative(ROOT, file)}`)
if (summary.home.errors || summary.static.errors)
  console.log(`errors: home ${summary.home.errors}, static ${summary.static.errors}`)

server.kill('SIGTERM')
meili?.kill('SIGTERM')
process.exit(0)
