/**
 * `npm run bench` (last) / `npm run bench:market`: the marketplace's two costs, against baselines
 * measured in the same run, alternating sides, medians; a run with any unexpected answer is
 * refused (test/bench/harness.ts).
 *
 * 1. Content behind an entitlement. The same stored objects (an HLS segment; a document's page
 *    image) requested through a licensee's session-bound link of a premium resource (gated: the
 *    session, the licence and the file are checked, from short caches) and through the public link
 *    of a free resource with the same files (ungated), 20 connections. Targets: gated throughput
 *    ≥ 0.9 × ungated and gated p95 ≤ ungated p95 + 2 ms (no database round trip per segment).
 * 2. Webhook intake. 2,000 signed Checkout events per round (1,600 sessions, a fifth delivered
 *    twice, in shuffled order) posted by 20 concurrent senders to /webhooks/stripe, each read back
 *    from the fake Stripe and applied in its own transaction; baseline: 2,000 signed events of a
 *    type we do not handle (verification and the answer only). Target: ≥ 300 events/s, and after
 *    every round exactly one PAID order and one licence per session.
 *
 *   BENCH_ROUNDS=2 BENCH_SECONDS=5 npm run bench:market     the defaults (BENCH_QUICK=1: 1 round of 3 s)
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import pg from 'pg'
import Stripe from 'stripe'
import {
  ROOT,
  WEB_NODE_ARGS,
  ensureMeilisearch,
  ensurePostgres,
  ensureRedis,
  waitForHttp,
} from '../../scripts/lib/services.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import { startFakeStripe } from '../../scripts/fake-stripe/server.ts'
import { TEST } from '../setup/test-config.ts'
import { percentile, median } from './stats.ts'
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
} from './harness.ts'

refuseOnFailure()
const PORT = 3420
const BASE = `http://127.0.0.1:${PORT}`
const ROUNDS = setting('BENCH_ROUNDS', 2, 1)
const DURATION = setting('BENCH_SECONDS', 5, 3)
const SESSIONS = setting('BENCH_WEBHOOK_SESSIONS', 1600, 400)
const CONNECTIONS = 20
const DB = 'erc_bench_market'
const SECRET = 'whsec_bench_0123456789abcdef'
const BUYER = { phone: '13800000015', password: 'Hunan2026' }

await ensurePostgres(`${TEST.pgBase}/postgres`)
await ensureRedis(TEST.redisUrl)
ownChild(await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey))
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
await admin.end()
await applyMigrations(`${TEST.pgBase}/${DB}`)
const fake = await startFakeStripe({ port: 3431, webhookSecret: SECRET })

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: String(PORT),
  APP_URL: BASE,
  DATABASE_URL: `${TEST.pgBase}/${DB}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: 'ercbenchmarket',
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: TEST.meiliKey,
  MEILI_INDEX_PREFIX: 'benchmarket',
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  LOG_LEVEL: 'warn',
  SIGNIN_MAX_FAILURES: '1000000',
  STORAGE_LOCAL_ROOT: path.join(ROOT, '.data/bench-market-storage'),
  STRIPE_API_URL: fake.url,
  STRIPE_SECRET_KEY: 'sk_test_bench_0123456789',
  STRIPE_WEBHOOK_SECRET: SECRET,
}
const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
setupStep('seeding the demo data', tsx, ['scripts/db/seed.ts'], { cwd: ROOT, env })
setupStep('building the server (remix build)', path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
  cwd: ROOT,
  env,
})
// This process writes the fixtures with the server's own modules, against the same database and store.
Object.assign(process.env, env)
const { prisma } = await import('../../app/lib/db.server.ts')
const { mediaResource, mediaUrlsIn } = await import('../factories/media-fixture.ts')
const { orderNumber } = await import('../../app/services/market/checkout.server.ts')
ownChild(spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: 'inherit' }))
await waitForHttp(`${BASE}/readyz`, 20_000)

// --- 1. gated vs ungated content ------------------------------------------------------------------
const provider = await prisma.user.findUniqueOrThrow({ where: { phone: '13800000005' } })
const buyer = await prisma.user.findUniqueOrThrow({ where: { phone: BUYER.phone } })
const hunan = await prisma.platform.findUniqueOrThrow({ where: { slug: 'hunan' } })
const fixture = async (title: string, kind: 'VIDEO' | 'DOCUMENT', licence: string) =>
  mediaResource({ phone: '13800000005', slug: 'hunan', title, kind, licence, index: false })
const premiumVideo = await fixture('基准 付费视频', 'VIDEO', 'PREMIUM')
const freeVideo = await fixture('基准 免费视频', 'VIDEO', 'CC-BY')
const premiumDoc = await fixture('基准 付费文档', 'DOCUMENT', 'PREMIUM')
const freeDoc = await fixture('基准 免费文档', 'DOCUMENT', 'CC-BY')
const offer = await prisma.offer.create({
  data: {
    resourceId: premiumVideo.id,
    sellerId: provider.id,
    scope: 'PERSONAL',
    term: 'PERPETUAL',
    priceFen: 4900,
    uses: ['CLASSROOM'],
  },
})
// The buyer's licence of both premium resources, as a paid order leaves it.
await prisma.order.create({
  data: {
    number: orderNumber(),
    buyerId: buyer.id,
    sellerId: provider.id,
    platformId: hunan.id,
    status: 'PAID',
    paidAt: new Date(),
    amountFen: 4900,
    feeFen: 490,
    feeRateBps: 1000,
    items: {
      create: {
        offerId: offer.id,
        title: '基准',
        scope: 'PERSONAL',
        term: 'PERPETUAL',
        uses: ['CLASSROOM'],
        priceFen: 4900,
        licenseeUserId: buyer.id,
        resourceIds: [premiumVideo.id, premiumDoc.id],
        licence: {
          create: {
            scope: 'PERSONAL',
            holderUserId: buyer.id,
            resources: { create: [{ resourceId: premiumVideo.id }, { resourceId: premiumDoc.id }] },
          },
        },
      },
    },
  },
})

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!)
const login = await fetch(`${BASE}/p/hunan/login`)
const loginHtml = await login.text()
const csrf = /name="_csrf" value="([^"]+)"/.exec(loginHtml)?.[1]
check(csrf, 'the login page has no CSRF token')
const signedIn = await fetch(`${BASE}/p/hunan/login`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(login).join('; ') },
  body: new URLSearchParams({ _csrf: csrf, identifier: BUYER.phone, password: BUYER.password }),
})
const cookie = [...cookiesOf(login), ...cookiesOf(signedIn)].join('; ')
check(signedIn.status === 302, `signing in as the buyer answered ${signedIn.status}`)

async function linkOf(resourceId: string, rel: string) {
  const res = await fetch(`${BASE}/p/hunan/r/${resourceId}`, { headers: { cookie } })
  const html = await res.text()
  check(res.status === 200, `the resource page of ${resourceId} answered ${res.status}`)
  const base = mediaUrlsIn(html).find((u) => /\/(hls\/master\.m3u8|pages\/p-0001\.webp)$/.test(u))
  check(base, `no player or page viewer link on the page of ${resourceId}`)
  return base.replace(/\/(hls\/master\.m3u8|pages\/p-0001\.webp)$/, `/${rel}`)
}
const links = {
  gatedSegment: await linkOf(premiumVideo.id, 'hls/720p/seg_0020.ts'),
  ungatedSegment: await linkOf(freeVideo.id, 'hls/720p/seg_0020.ts'),
  gatedPage: await linkOf(premiumDoc.id, 'pages/p-0008.webp'),
  ungatedPage: await linkOf(freeDoc.id, 'pages/p-0008.webp'),
}
// Segment 20 starts at 80 s and page 8 is past the preview: only a full (licensed) link opens them.
for (const [name, url] of Object.entries(links)) {
  const res = await fetch(BASE + url, { headers: { cookie } })
  check(res.status === 200, `${name} answered ${res.status}`)
}
const anonymous = await fetch(BASE + links.gatedSegment)
check(anonymous.status === 403, `the gated segment without the session answered ${anonymous.status}, not 403`)

const contentSides = {
  gatedSegment: 'HLS segment, licensed (gated)',
  ungatedSegment: 'HLS segment, free (ungated)',
  gatedPage: 'page image, licensed (gated)',
  ungatedPage: 'page image, free (ungated)',
} as const
type Side = keyof typeof contentSides
const load = (side: Side, round: number | 'warm-up', length: { duration: number } | { amount: number }) =>
  measureLoad(contentSides[side], round, {
    url: BASE + links[side],
    headers: { cookie },
    connections: CONNECTIONS,
    ...length,
  })
for (const side of Object.keys(contentSides) as Side[]) await load(side, 'warm-up', { amount: 10 * CONNECTIONS })
const content = await alternatingRounds(
  ROUNDS,
  Object.fromEntries(
    (Object.keys(contentSides) as Side[]).map((s) => [s, (round: number) => load(s, round, { duration: DURATION })]),
  ) as Record<Side, (round: number) => ReturnType<typeof load>>,
)
const c = Object.fromEntries((Object.keys(contentSides) as Side[]).map((s) => [s, summarise(content[s])])) as Record<
  Side,
  ReturnType<typeof summarise>
>

// --- 2. webhook intake -----------------------------------------------------------------------------
const signer = new Stripe('sk_test_bench_signer')
type Event = { id: string; type: string }

/** One round's sessions: orders as checkout leaves them, sessions at the fake, paid without delivery. */
async function prepareSessions(round: number) {
  const orders = []
  for (let i = 0; i < SESSIONS; i++)
    orders.push({
      id: `benchorder${round}x${String(i).padStart(5, '0')}`,
      number: orderNumber(),
      buyerId: buyer.id,
      sellerId: provider.id,
      platformId: hunan.id,
      amountFen: 4900,
      feeFen: 490,
      feeRateBps: 1000,
    })
  await prisma.order.createMany({ data: orders })
  await prisma.orderItem.createMany({
    data: orders.map((o) => ({
      orderId: o.id,
      offerId: offer.id,
      title: '基准',
      scope: 'PERSONAL' as const,
      term: 'PERPETUAL' as const,
      uses: ['CLASSROOM'],
      priceFen: 4900,
      licenseeUserId: buyer.id,
      resourceIds: [premiumVideo.id],
    })),
  })
  const events: Event[] = []
  const stripe = new Stripe('sk_test_bench_0123456789', { host: '127.0.0.1', port: 3431, protocol: 'http' })
  for (const o of orders) {
    const s = await stripe.checkout.sessions.create({
      mode: 'payment',
      allowed_payment_method_types: ['card'],
      line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 4900, product_data: { name: '基准' } } }],
      payment_intent_data: { application_fee_amount: 490, transfer_data: { destination: 'acct_bench' } },
      metadata: { orderId: o.id },
      success_url: `${BASE}/p/hunan/orders/${o.id}`,
    })
    const paid = await fetch(`${fake.url}/_fake/sessions/${s.id}/pay`, {
      method: 'POST',
      body: 'method=card&deliver=false',
    })
    events.push(((await paid.json()) as { event: Event }).event)
  }
  return { orders: orders.map((o) => o.id), events }
}

/** A deterministic shuffle (so that two runs send the same order). */
function shuffled<T>(xs: T[], seed: number) {
  const a = [...xs]
  let s = seed
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const j = s % (i + 1)
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

/** Posts every event, 20 at a time; refuses the round on any answer but 200 with an expected outcome. */
async function deliverAll(label: string, events: Event[], outcomes: string[]) {
  const latencies: number[] = []
  let next = 0
  const t0 = performance.now()
  const sender = async () => {
    while (next < events.length) {
      const ev = events[next++]!
      const payload = JSON.stringify(ev)
      const header = signer.webhooks.generateTestHeaderString({ payload, secret: SECRET })
      const t = performance.now()
      const res = await fetch(`${BASE}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      })
      const body = (await res.json().catch(() => ({}))) as { outcome?: string }
      latencies.push(performance.now() - t)
      check(
        res.status === 200 && outcomes.includes(body.outcome ?? ''),
        `${label}: ${ev.id} answered ${res.status} ${JSON.stringify(body)}`,
      )
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, sender))
  const secondsTaken = (performance.now() - t0) / 1000
  return { eps: events.length / secondsTaken, p95: percentile(latencies, 95), events: events.length }
}

const webhookRounds = await alternatingRounds(ROUNDS, {
  checkout: async (round: number) => {
    const { orders, events } = await prepareSessions(round)
    const dupes = shuffled(events, round + 7).slice(0, Math.round(SESSIONS / 4))
    const all = shuffled([...events, ...dupes], round + 1)
    const r = await deliverAll('checkout events', all, ['applied', 'duplicate'])
    const paid = await prisma.order.count({ where: { id: { in: orders }, status: 'PAID' } })
    const licences = await prisma.licence.count({ where: { orderItem: { orderId: { in: orders } } } })
    const applied = await prisma.stripeEvent.count({ where: { orderId: { in: orders } } })
    check(
      paid === SESSIONS && licences === SESSIONS && applied === SESSIONS,
      `after round ${round + 1}: ${paid} paid orders, ${licences} licences, ${applied} events for ${SESSIONS} sessions`,
    )
    return r
  },
  ignored: async (round: number) => {
    const events = Array.from({ length: SESSIONS + Math.round(SESSIONS / 4) }, (_, i) =>
      fake.event('customer.created', { id: `cus_bench_${round}_${i}`, object: 'customer' }),
    )
    return deliverAll('ignored events', events, ['ignored'])
  },
})
const w = {
  checkout: {
    eps: median(webhookRounds.checkout.map((r) => r.eps)),
    p95: median(webhookRounds.checkout.map((r) => r.p95)),
  },
  ignored: {
    eps: median(webhookRounds.ignored.map((r) => r.eps)),
    p95: median(webhookRounds.ignored.map((r) => r.p95)),
  },
}

// --- report ------------------------------------------------------------------------------------------
const segThroughput = ratio(c.gatedSegment.rps, c.ungatedSegment.rps, 'segment throughput')
const pageThroughput = ratio(c.gatedPage.rps, c.ungatedPage.rps, 'page throughput')
const ok = (b: boolean) => (b ? '✔' : '✘')
console.log(
  `\nMarketplace benchmark: ${CONNECTIONS} connections, ${DURATION} s × ${ROUNDS} rounds (alternating order), medians${QUICK ? '; QUICK MODE: a smoke run, not a result' : ''}\n`,
)
const rows = [
  ['content', 'p50 ms', 'p95 ms', 'req/s', 'gated ÷ ungated', 'target'],
  ...(['gatedSegment', 'ungatedSegment', 'gatedPage', 'ungatedPage'] as Side[]).map((s) => [
    contentSides[s],
    c[s].p50.toFixed(2),
    c[s].p95.toFixed(2),
    c[s].rps.toFixed(0),
    s === 'gatedSegment' ? segThroughput.toFixed(2) : s === 'gatedPage' ? pageThroughput.toFixed(2) : '',
    s === 'gatedSegment'
      ? `≥0.9 ${ok(segThroughput >= 0.9)} · p95+${(c.gatedSegment.p95 - c.ungatedSegment.p95).toFixed(2)} ms ≤2 ${ok(c.gatedSegment.p95 <= c.ungatedSegment.p95 + 2)}`
      : s === 'gatedPage'
        ? `≥0.9 ${ok(pageThroughput >= 0.9)} · p95+${(c.gatedPage.p95 - c.ungatedPage.p95).toFixed(2)} ms ≤2 ${ok(c.gatedPage.p95 <= c.ungatedPage.p95 + 2)}`
        : '',
  ]),
]
for (const r of rows) console.log(tableRow(r, [34, 10, 10, 10, 18, 30]))
const webhookRatio = ratio(w.checkout.eps, w.ignored.eps, 'webhook throughput')
console.log('')
for (const r of [
  ['webhook intake', 'events/s', 'p95 ms', 'ours ÷ baseline', 'target'],
  [
    `checkout events (${SESSIONS} + ${Math.round(SESSIONS / 4)} repeats)`,
    w.checkout.eps.toFixed(0),
    w.checkout.p95.toFixed(1),
    webhookRatio.toFixed(2),
    `≥ 300/s ${ok(w.checkout.eps >= 300)}; one order and licence per session ✔`,
  ],
  ['unhandled events (baseline)', w.ignored.eps.toFixed(0), w.ignored.p95.toFixed(1), '', ''],
])
  console.log(tableRow(r, [44, 10, 10, 18, 40]))
const file = writeResults(ROOT, 'market', {
  rounds: ROUNDS,
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  content: c,
  ratios: { segmentThroughput: segThroughput, pageThroughput },
  webhook: { ...w, sessions: SESSIONS, ratio: webhookRatio },
  raw: { content, webhook: webhookRounds },
})
console.log(`\nwritten ${file}`)
await fake.close()
process.exit(0)
