/**
 * `npm run bench` (first of three) / `npm run bench:web`: the web server's pages as ratios against
 * a static file served by the same server in the same run, so a noisy shared machine affects both
 * sides alike. Medians of rounds; every round runs every scenario, in reversed order every other
 * round. Prints a table and writes bench-results/web-<date>.json.
 *
 * 1. Home page, server-rendered, 20 connections, vs the static file: anonymous (/p/hunan, the
 *    province's portal, which caches what it can) and signed in as the 醴陵 teacher 陈晓梅
 *    (/p/liling with the session cookie from the real login form; every response must be her
 *    signed-in page). Target: home p95 ≤ 5 × static p95, for both.
 * 2. Her 我的空间 (/p/liling/me), signed in: reported against the static file.
 * 3. Sign-in (scrypt hash + session), 20 connections, as another teacher (褚明, so the measured
 *    session above is never touched): every response must be the 302 that signs in. Reported
 *    (it is deliberately expensive: memory-hard hashing).
 *
 * The run is INVALID (exit status 1, one "INVALID RUN: …" line, no table, no JSON) if any round,
 * warm-up included, had a response with another status, a page that was not the expected one,
 * a connection error or a timeout (test/bench/harness.ts).
 *
 *   BENCH_ROUNDS=3 BENCH_SECONDS=5 npm run bench:web      the defaults
 *   BENCH_WARMUP_REQUESTS=10                              warm-up requests per connection per scenario
 *   BENCH_QUICK=1 npm run bench:web                       short mode: 2 rounds of 3 s, 2 warm-up requests
 *   BENCH_SELFTEST_BREAK="home page, signed in@2"         self-test only: that round requests a
 *                                                         missing page, and the run must refuse
 */
import { spawn } from 'node:child_process'
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
import {
  QUICK,
  alternatingRounds,
  check,
  measureLoad,
  ownChild,
  ratio,
  refuseOnFailure,
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
const PORT = 3410
const BASE = `http://127.0.0.1:${PORT}`
const ROUNDS = setting('BENCH_ROUNDS', 3, 2)
const DURATION = setting('BENCH_SECONDS', 5, 3)
/** Requests per connection before round 1 (checked, not counted): a count, not seconds, so the slow sign-in gets its share too. */
const WARMUP = setting('BENCH_WARMUP_REQUESTS', 10, 2)
const CONNECTIONS = 20
const DB = 'erc_bench'
const TEACHER = { platform: 'liling', phone: '13800000033', password: 'Hunan2026' }
const SIGN_IN_AS = { phone: '13800000034', password: 'Hunan2026' }

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
ownChild(await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey))
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
  ...BENCH_STRIPE_ENV,
  LOG_LEVEL: 'warn',
  // The bench signs in far more often than a person would; lift the throttle for it.
  SIGNIN_MAX_FAILURES: '1000000',
  STORAGE_LOCAL_ROOT: path.join(ROOT, '.data/bench-storage'),
}
setupStep('seeding the demo data', path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/db/seed.ts'], { cwd: ROOT, env })
// A published, indexed catalogue, so that the home page shows what it shows in use (newest resources).
setupStep('seeding the catalogue', path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/catalogue/seed.ts', '500'], {
  cwd: ROOT,
  env,
})
setupStep('building the server (remix build)', path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
  cwd: ROOT,
  env,
})
ownChild(spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: 'inherit' }))
await waitForHttp(`${BASE}/readyz`, 20_000)

// --- signing in through the real login form ---------------------------------------------------
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!)
/** The login page's CSRF cookie and the token its form carries. */
async function loginForm(platform: string) {
  const page = await fetch(`${BASE}/p/${platform}/login`)
  const html = await page.text()
  check(page.status === 200, `the login page answered ${page.status}`)
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  check(token, 'the login page has no CSRF token')
  return { cookie: cookiesOf(page).join('; '), token }
}
const SESSION = /(^|; )(__Host-)?erc_session=[^;]+/
const form = await loginForm(TEACHER.platform)
const signedIn = await fetch(`${BASE}/p/${TEACHER.platform}/login`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
  body: new URLSearchParams({ _csrf: form.token, identifier: TEACHER.phone, password: TEACHER.password }),
})
const teacherCookie = [form.cookie, ...cookiesOf(signedIn)].join('; ')
check(
  signedIn.status === 302 && SESSION.test(teacherCookie),
  `signing in as the teacher ${TEACHER.phone} answered ${signedIn.status} without a session cookie`,
)

// What each page must be: ASCII markers only (autocannon decodes a body chunk by chunk).
const isSignedInPage = (body: string) => body.includes('action="/logout"') && body.includes('data-testid="bell"')
const isAnonymousPage = (body: string) => body.includes('/login?redirectTo=') && !body.includes('action="/logout"')
const isMySpace = (body: string) => isSignedInPage(body) && body.includes('data-testid="my-uploads"')

// The pages are what the scenarios say before anything is timed.
for (const [p, cookie, ok, what] of [
  ['/p/hunan', '', isAnonymousPage, 'the anonymous home page'],
  [`/p/${TEACHER.platform}`, teacherCookie, isSignedInPage, "the teacher's signed-in home page"],
  [`/p/${TEACHER.platform}/me`, teacherCookie, isMySpace, "the teacher's 我的空间"],
] as const) {
  const res = await fetch(BASE + p, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  const body = await res.text()
  check(res.status === 200 && ok(body), `${p} answered ${res.status} and was not ${what}`)
}

const signInForm = await loginForm(TEACHER.platform)
const signInBody = new URLSearchParams({
  _csrf: signInForm.token,
  identifier: SIGN_IN_AS.phone,
  password: SIGN_IN_AS.password,
}).toString()

// --- the scenarios ----------------------------------------------------------------------------------
type Scenario = { label: string; opts: Parameters<typeof measureLoad>[2]; expect: Expect }
const scenarios = {
  static: { label: 'static file', opts: { url: `${BASE}/favicon.svg` }, expect: {} },
  home: {
    label: 'home page, anonymous',
    opts: { url: `${BASE}/p/hunan` },
    expect: { verify: (r) => isAnonymousPage(r.body), what: 'the anonymous home page' },
  },
  homeSignedIn: {
    label: 'home page, signed in',
    opts: { url: `${BASE}/p/${TEACHER.platform}`, headers: { cookie: teacherCookie } },
    expect: { verify: (r) => isSignedInPage(r.body), what: "the teacher's signed-in home page" },
  },
  mySpace: {
    label: '我的空间, signed in',
    opts: { url: `${BASE}/p/${TEACHER.platform}/me`, headers: { cookie: teacherCookie } },
    expect: { verify: (r) => isMySpace(r.body), what: "the teacher's 我的空间" },
  },
  signIn: {
    label: 'sign-in',
    opts: {
      url: `${BASE}/p/${TEACHER.platform}/login`,
      method: 'POST',
      body: signInBody,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInForm.cookie },
    },
    // Only the redirect home with a fresh session cookie is a sign-in; a re-rendered form, a
    // throttle or a CSRF refusal is not.
    expect: {
      status: [302],
      verify: (r) =>
        r.headers.location === `/p/${TEACHER.platform}` && SESSION.test(String(r.headers['set-cookie'] ?? '')),
      what: 'a redirect home with a session cookie',
    },
  },
} satisfies Record<string, Scenario>
type Name = keyof typeof scenarios
const names = Object.keys(scenarios) as Name[]
const run = (name: Name, round: Round, length: { duration: number } | { amount: number }) =>
  measureLoad(
    scenarios[name].label,
    round,
    { connections: CONNECTIONS, ...length, ...scenarios[name].opts },
    scenarios[name].expect,
  )

console.log(`  warm-up: ${WARMUP} requests per connection of each scenario (checked, not counted)`)
for (const name of names) await run(name, 'warm-up', { amount: WARMUP * CONNECTIONS })
const rounds = await alternatingRounds(
  ROUNDS,
  Object.fromEntries(names.map((n) => [n, (round: number) => run(n, round, { duration: DURATION })])) as Record<
    Name,
    (round: number) => Promise<Load>
  >,
)

// --- report (only a valid run gets here) -----------------------------------------------------------
const summary = Object.fromEntries(names.map((n) => [n, summarise(rounds[n])])) as Record<
  Name,
  ReturnType<typeof summarise>
>
const ratios = Object.fromEntries(
  names.map((n) => [n, ratio(summary[n].p95, summary.static.p95, `${scenarios[n].label} p95`)]),
) as Record<Name, number>
const target = (r: number) => (r <= 5 ? '≤ 5 ✔' : '≤ 5 ✘')
const rows = [
  ['scenario', 'p50 ms', 'p95 ms', 'req/s', 'p95 ÷ static p95', 'target'],
  ...names.map((n) => [
    scenarios[n].label,
    summary[n].p50.toFixed(2),
    summary[n].p95.toFixed(2),
    summary[n].rps.toFixed(0),
    ratios[n].toFixed(2),
    n === 'static' ? '' : n === 'home' || n === 'homeSignedIn' ? target(ratios[n]) : 'reported',
  ]),
]
console.log(
  `\nWeb benchmark: ${CONNECTIONS} connections, ${DURATION} s × ${ROUNDS} rounds (alternating order), medians; every response checked${QUICK ? '; QUICK MODE: a smoke run, not a result' : ''}\n`,
)
for (const r of rows) console.log(tableRow(r, [24, 12, 12, 10, 18, 12]))
const file = writeResults(ROOT, 'web', {
  rounds: ROUNDS,
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  summary,
  ratios: Object.fromEntries(names.map((n) => [`${n}P95OverStaticP95`, ratios[n]])),
  raw: rounds,
})
console.log(`\nwritten ${file}`)
process.exit(0)
