/**
 * What every benchmark shares so that it can only report what it measured (security issue,
 * "Benchmarks"; developers' guide: ratios against a baseline measured in the same run,
 * alternating sides, medians, and a run with errors refused). One helper per job:
 *
 *  - `refuseOnFailure()`, called first: a refusal (`refuse`, `check`) or any crash ends the run
 *    with one line "INVALID RUN: …" and exit status 1, before any table or JSON is written; the
 *    processes handed to `ownChild` are stopped on every exit.
 *  - `alternatingRounds()`: every round runs every side, in the listed order in even rounds and
 *    reversed in odd ones (A B · B A · A B …), so that drift and warm-up hit all sides alike.
 *  - `measureLoad()`: one autocannon round, refused unless every response had the expected status
 *    (any 2xx unless told), passed the round's check of its body or headers, and nothing failed
 *    or timed out. Latencies are the round's own samples (hrtime), not autocannon's whole-ms
 *    histogram, so a sub-millisecond baseline is measured rather than rounded to 0 or 1.
 *    `loadProblems()` is the pure part of that check (unit-tested in test/unit/bench-harness.test.ts).
 *  - `ratio()`: ours ÷ a baseline from the same run; a baseline that is not a positive, finite
 *    figure refuses the run. Nothing is floored.
 *  - `median` (stats.ts) is what the tables quote.
 *
 * Self-test only: BENCH_SELFTEST_BREAK="<label>@<round>" (e.g. "home page, signed in@2") sends
 * that round of that measurement to a path that does not exist, to watch the run refuse itself.
 */
import autocannon from 'autocannon'
import { execFileSync, type ChildProcess, type ExecFileSyncOptions } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { median, percentile } from './stats.ts'

export { median, p95, percentile } from './stats.ts'

/** Stripe test keys for a benchmark's server: its production build requires them (nothing here pays). */
export const BENCH_STRIPE_ENV = {
  STRIPE_SECRET_KEY: 'sk_test_bench_0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_bench_0123456789abcdef',
}

export class InvalidRun extends Error {
  override name = 'InvalidRun'
}

/** Stops the run as invalid: no table, no JSON, exit status 1 with this reason. */
export function refuse(reason: string): never {
  throw new InvalidRun(reason)
}

export function check(ok: unknown, reason: string | (() => string)): asserts ok {
  if (!ok) refuse(typeof reason === 'string' ? reason : reason())
}

const owned = new Set<ChildProcess>()

/** A process the benchmark started (server, Meilisearch, worker): stopped whenever the run ends. */
export function ownChild<T extends ChildProcess | null | undefined>(child: T): T {
  if (child) owned.add(child)
  return child
}

export function refuseOnFailure() {
  const fail = (e: unknown) => {
    const reason =
      e instanceof InvalidRun
        ? e.message
        : `the benchmark failed: ${e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)}`
    console.error(`\nINVALID RUN: ${reason}`)
    process.exit(1)
  }
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  process.on('exit', () => {
    for (const c of owned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
  })
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')

/** A set-up command (seed, build): refuses the run with the end of its output if it fails. */
export function setupStep(what: string, cmd: string, args: string[], opts: ExecFileSyncOptions = {}) {
  try {
    execFileSync(cmd, args, { ...opts, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 })
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string }
    const tail = `${err.stdout ?? ''}${err.stderr ?? ''}`.replace(ANSI_COLOUR, '').trim().split('\n').slice(-15)
    refuse(`set-up failed: ${what}\n${tail.join('\n') || err.message}`)
  }
}

/** Reads a whole-number setting from the environment, with its quick-mode and normal defaults. */
export function setting(name: string, normal: number, quick: number, min = 1) {
  const raw = process.env[name]
  const n = raw === undefined || raw === '' ? (QUICK ? quick : normal) : Number(raw)
  if (!Number.isFinite(n) || n < min) refuse(`${name} must be a number ≥ ${min} (got ${raw})`)
  return n
}

/** BENCH_QUICK=1: every benchmark's short mode (a smoke run; its figures are not results). */
export const QUICK = ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '')

// --- rounds ---------------------------------------------------------------------------------------

/** 0-based round number, or the warm-up before round 1. */
export type Round = number | 'warm-up'
export const roundName = (r: Round) => (r === 'warm-up' ? 'the warm-up' : `round ${r + 1}`)

/** The order of the sides in a round: as listed in even rounds, reversed in odd ones. */
export function roundOrder<K>(round: number, sides: readonly K[]): K[] {
  return round % 2 ? [...sides].reverse() : [...sides]
}

/** Runs `rounds` rounds of every side, alternating the order; each side's results in round order. */
export async function alternatingRounds<K extends string, T>(
  rounds: number,
  sides: Record<K, (round: number) => Promise<T>>,
  opts: { quiet?: boolean } = {},
): Promise<Record<K, T[]>> {
  check(Number.isInteger(rounds) && rounds >= 1, `the number of rounds must be a whole number ≥ 1 (got ${rounds})`)
  const names = Object.keys(sides) as K[]
  const out = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>
  for (let round = 0; round < rounds; round++) {
    const order = roundOrder(round, names)
    if (!opts.quiet) console.log(`  ${roundName(round)}/${rounds}: ${order.join(' → ')}`)
    for (const name of order) out[name].push(await sides[name](round))
  }
  return out
}

/** Self-test only: whether BENCH_SELFTEST_BREAK names this measurement and round (1-based). */
export function sabotaged(label: string, round: Round) {
  const target = process.env.BENCH_SELFTEST_BREAK
  if (!target) return false
  const at = target.lastIndexOf('@')
  const name = at < 0 ? target : target.slice(0, at)
  const which = at < 0 ? '1' : target.slice(at + 1)
  return name === label && (round === 'warm-up' ? which === 'warm-up' : which === String(round + 1))
}

const BROKEN = '/__bench-selftest-missing'

/** A URL path, or (self-test) one that does not exist. */
export function selfTestPath(label: string, round: Round, p: string) {
  return sabotaged(label, round) ? `${BROKEN}${p}` : p
}

// --- one round under load -------------------------------------------------------------------------

export type Expect = {
  /** The statuses that count as an answer; any 2xx when not given. */
  status?: readonly number[]
  /** A check of every response. Test ASCII markers only: autocannon decodes bodies chunk by chunk. */
  verify?: (r: { status: number; body: string; headers: Record<string, unknown> }) => boolean
  /** What `verify` checks, for the refusal message ("the signed-in page"). */
  what?: string
}

/** What a round's responses came to: autocannon's counts plus those `verify` turned down. */
export type LoadCounts = {
  statusCodeStats?: Record<string, { count?: number }>
  non2xx: number
  errors: number
  timeouts: number
  mismatches: number
  unverified?: number
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Everything wrong with a round's responses; empty when every response was the expected answer. */
export function loadProblems(r: LoadCounts, expect: Expect = {}): string[] {
  const problems: string[] = []
  const stats = Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [Number(code), s.count ?? 0] as const)
  const total = stats.reduce((a, [, n]) => a + n, 0)
  const good = (code: number) => (expect.status ? expect.status.includes(code) : code >= 200 && code < 300)
  const bad = stats.filter(([code, n]) => n > 0 && !good(code))
  const badCount = bad.reduce((a, [, n]) => a + n, 0)
  const detail = bad.length ? ` (${bad.map(([code, n]) => `${code}×${n}`).join(', ')})` : ''
  if (expect.status) {
    if (badCount) problems.push(`${plural(badCount, 'response')} other than ${expect.status.join('/')}${detail}`)
  } else {
    // autocannon's own non-2xx count as well, in case a status was not itemised.
    const n = Math.max(badCount, r.non2xx)
    if (n) problems.push(`${plural(n, 'non-2xx response')}${detail}`)
  }
  if (r.timeouts) problems.push(plural(r.timeouts, 'timeout'))
  if (r.errors - r.timeouts > 0) problems.push(plural(r.errors - r.timeouts, 'connection error'))
  if (r.mismatches) problems.push(`${plural(r.mismatches, 'response')} with an unexpected body`)
  if (r.unverified)
    problems.push(
      `${plural(r.unverified, 'response')} that ${r.unverified === 1 ? 'was' : 'were'} not ${expect.what ?? 'as expected'}`,
    )
  if (total === 0 && !problems.length) problems.push('no responses at all')
  return problems
}

/** Refuses the run if a round had any problem: "3 non-2xx responses (500×3) in round 2 (home page, signed in)". */
export function checkRound(label: string, round: Round, problems: string[]) {
  if (problems.length) refuse(`${problems.join('; ')} in ${roundName(round)} (${label})`)
}

export type Load = {
  label: string
  round: Round
  responses: number
  seconds: number
  rps: number
  p50: number
  p95: number
  statuses: Record<string, number>
}

/**
 * One autocannon round (20 connections unless told), checked by `loadProblems`; p50/p95 from the
 * round's own latency samples, req/s from its completed responses over its duration.
 */
export async function measureLoad(
  label: string,
  round: Round,
  opts: autocannon.Options,
  expect: Expect = {},
): Promise<Load> {
  const o: autocannon.Options = { connections: 20, ...opts }
  if (sabotaged(label, round)) {
    const u = new URL(o.url)
    u.pathname = selfTestPath(label, round, u.pathname)
    o.url = u.toString()
    o.requests = o.requests?.map((r) => ({ ...r, path: r.path && selfTestPath(label, round, r.path) }))
  }
  let unverified = 0
  if (expect.verify) {
    const verify = expect.verify
    o.requests = (o.requests ?? [{}]).map((r) => ({
      ...r,
      onResponse: (status: number, body: string, context: object, headers: autocannon.Request['headers']) => {
        if (!verify({ status, body, headers: (headers ?? {}) as Record<string, unknown> })) unverified++
        if (typeof r.onResponse === 'function') r.onResponse(status, body, context, headers)
      },
    }))
  }
  const samples: number[] = []
  const instance = autocannon(o) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>
  instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms))
  const r = await instance
  await drain(o)
  checkRound(label, round, loadProblems({ ...r, unverified }, expect))
  check(samples.length > 0, `no latency samples in ${roundName(round)} (${label})`)
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0]))
  return {
    label,
    round,
    responses: samples.length,
    seconds: r.duration,
    rps: samples.length / r.duration,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    statuses,
  }
}

/**
 * autocannon stops at its deadline with requests still in flight, and the server goes on working
 * on them (20 sign-ins' worth of scrypt, say) into whatever is measured next. One more request of
 * the same kind, answered after that backlog, lets the server drain before the next round.
 */
async function drain(o: autocannon.Options) {
  const first = o.requests?.[0] ?? {}
  const url = first.path ? new URL(first.path, o.url) : new URL(o.url)
  await fetch(url, {
    method: first.method ?? o.method ?? 'GET',
    headers: { ...(o.headers ?? {}), ...(first.headers ?? {}) } as Record<string, string>,
    body: (first.body ?? o.body) as string | undefined,
    redirect: 'manual',
  }).then(
    (res) => res.arrayBuffer(),
    () => undefined,
  )
}

/** Medians over a side's rounds. */
export function summarise(rounds: Load[]) {
  return {
    p50: median(rounds.map((r) => r.p50)),
    p95: median(rounds.map((r) => r.p95)),
    rps: median(rounds.map((r) => r.rps)),
    responses: rounds.reduce((a, r) => a + r.responses, 0),
  }
}

// --- figures ----------------------------------------------------------------------------------------

/** ours ÷ baseline, both from this run; refuses a baseline (or figure) that is not positive and finite. */
export function ratio(ours: number, baseline: number, what: string) {
  check(Number.isFinite(baseline) && baseline > 0, `the baseline for ${what} is ${baseline}: not a measurement`)
  check(Number.isFinite(ours) && ours >= 0, `our figure for ${what} is ${ours}: not a measurement`)
  return ours / baseline
}

/** Wall-clock seconds of an async piece of work. */
export async function seconds(fn: () => Promise<unknown>) {
  const t = performance.now()
  await fn()
  return (performance.now() - t) / 1000
}

/** A table row, each cell padded to its column's width in terminal columns (CJK counts two). */
export function tableRow(cells: unknown[], widths: number[]) {
  const width = (s: string) => [...s].reduce((a, ch) => a + (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)
  return cells.map((c, i) => `${c}${' '.repeat(Math.max(1, (widths[i] ?? 16) - width(String(c))))}`).join('')
}

/** Writes <root>/bench-results/<name>-<stamp>.json (only ever for a valid run); returns its path. */
export function writeResults(root: string, name: string, data: object) {
  const dir = path.join(root, 'bench-results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`)
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), quick: QUICK, ...data }, null, 2))
  return path.relative(root, file)
}
