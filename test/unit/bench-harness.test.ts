/** The benchmarks' refusal of runs that went wrong (test/bench/harness.ts). */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  InvalidRun,
  alternatingRounds,
  checkRound,
  loadProblems,
  measureLoad,
  median,
  ratio,
  roundOrder,
} from '../bench/harness.ts'

/** An autocannon-like result: counts per status plus autocannon's own totals. */
const result = (statuses: Record<number, number>, extra: Partial<Parameters<typeof loadProblems>[0]> = {}) => ({
  statusCodeStats: Object.fromEntries(Object.entries(statuses).map(([k, n]) => [k, { count: n }])),
  non2xx: Object.entries(statuses)
    .filter(([k]) => Number(k) < 200 || Number(k) >= 300)
    .reduce((a, [, n]) => a + n, 0),
  errors: 0,
  timeouts: 0,
  mismatches: 0,
  ...extra,
})

describe('loadProblems and checkRound', () => {
  it('find nothing wrong in a round of 2xx answers only', () => {
    expect(loadProblems(result({ 200: 1000 }))).toEqual([])
  })

  it('refuse a round with non-2xx responses, naming the count, the statuses, the round and the measurement', () => {
    const problems = loadProblems(result({ 200: 997, 500: 2, 404: 1 }))
    expect(problems).toEqual(['3 non-2xx responses (404×1, 500×2)'])
    expect(() => checkRound('home page, signed in', 1, problems)).toThrow(InvalidRun)
    expect(() => checkRound('home page, signed in', 1, problems)).toThrow(
      '3 non-2xx responses (404×1, 500×2) in round 2 (home page, signed in)',
    )
  })

  it('count autocannon’s non2xx total even when no status was itemised', () => {
    expect(
      loadProblems({ non2xx: 5, errors: 0, timeouts: 0, mismatches: 0, statusCodeStats: { 200: { count: 9 } } }),
    ).toEqual(['5 non-2xx responses'])
  })

  it('refuse connection errors and timeouts separately', () => {
    expect(loadProblems(result({ 200: 50 }, { errors: 5, timeouts: 2 }))).toEqual(['2 timeouts', '3 connection errors'])
  })

  it('refuse a round whose responses failed the check or the expected body', () => {
    expect(
      loadProblems(result({ 200: 10 }, { unverified: 4, mismatches: 1 }), { what: "the teacher's signed-in page" }),
    ).toEqual(['1 response with an unexpected body', "4 responses that were not the teacher's signed-in page"])
  })

  it('take only the expected statuses as answers when told (sign-in: 302), refusing 2xx ones', () => {
    expect(loadProblems(result({ 302: 40 }), { status: [302] })).toEqual([])
    expect(loadProblems(result({ 302: 40, 200: 2, 429: 1 }), { status: [302] })).toEqual([
      '3 responses other than 302 (200×2, 429×1)',
    ])
  })

  it('refuse a round that got no responses at all', () => {
    expect(loadProblems(result({}))).toEqual(['no responses at all'])
  })
})

describe('ratio', () => {
  it('divides by a sub-millisecond baseline as measured (no floor)', () => {
    expect(ratio(2, 0.25, 'p95')).toBe(8)
  })

  it('refuses a baseline of zero, NaN or infinity, and a figure that is not a number', () => {
    for (const bad of [0, -1, NaN, Infinity]) expect(() => ratio(5, bad, 'static p95')).toThrow(InvalidRun)
    expect(() => ratio(NaN, 1, 'home p95')).toThrow(InvalidRun)
  })
})

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow()
  })
})

describe('alternatingRounds', () => {
  it('reverses the order of the sides every other round', async () => {
    expect(roundOrder(0, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c'])
    expect(roundOrder(1, ['a', 'b', 'c'])).toEqual(['c', 'b', 'a'])
    const calls: string[] = []
    const side = (name: string) => async (round: number) => {
      calls.push(`${name}${round}`)
      return round
    }
    const r = await alternatingRounds(4, { base: side('base'), ours: side('ours') }, { quiet: true })
    expect(calls).toEqual(['base0', 'ours0', 'ours1', 'base1', 'base2', 'ours2', 'ours3', 'base3'])
    expect(r).toEqual({ base: [0, 1, 2, 3], ours: [0, 1, 2, 3] })
  })
})

describe('measureLoad against a real server', () => {
  let server: http.Server
  let base = ''
  let hits = 0
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++
      if (req.url === '/flaky' && hits % 5 === 0) res.writeHead(500).end('boom')
      else if (req.url === '/sometimes-wrong') res.writeHead(200).end(hits % 4 === 0 ? 'wrong' : 'right')
      else if (req.url === '/flaky' || req.url === '/ok' || req.url === '/sometimes-wrong')
        res.writeHead(200).end('right')
      else res.writeHead(404).end('missing')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  afterEach(() => {
    delete process.env.BENCH_SELFTEST_BREAK
    hits = 0
  })

  it('measures a clean round: every response counted, sub-millisecond latencies kept', async () => {
    const r = await measureLoad('ok', 0, { url: `${base}/ok`, connections: 2, amount: 40 })
    expect(r.responses).toBe(40)
    expect(r.statuses).toEqual({ 200: 40 })
    expect(r.p95).toBeGreaterThan(0)
    expect(r.p50).toBeLessThanOrEqual(r.p95)
  })

  it('refuses a round in which the server answered 500 to some requests', async () => {
    await expect(measureLoad('flaky page', 1, { url: `${base}/flaky`, connections: 2, amount: 50 })).rejects.toThrow(
      /^10 non-2xx responses \(500×10\) in round 2 \(flaky page\)$/,
    )
  })

  it('refuses a round in which some 200 responses were not the expected page', async () => {
    await expect(
      measureLoad(
        'checked page',
        0,
        { url: `${base}/sometimes-wrong`, connections: 2, amount: 40 },
        { verify: (r) => r.body === 'right', what: 'the right page' },
      ),
    ).rejects.toThrow(/^10 responses that were not the right page in round 1 \(checked page\)$/)
  })

  it('BENCH_SELFTEST_BREAK sends the named round to a missing path, and the round is refused', async () => {
    process.env.BENCH_SELFTEST_BREAK = 'ok page@2'
    await expect(measureLoad('ok page', 0, { url: `${base}/ok`, connections: 2, amount: 10 })).resolves.toBeTruthy()
    await expect(measureLoad('ok page', 1, { url: `${base}/ok`, connections: 2, amount: 10 })).rejects.toThrow(
      /^10 non-2xx responses \(404×10\) in round 2 \(ok page\)$/,
    )
  })
})
