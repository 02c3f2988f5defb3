/**
 * A local stand-in for Stripe's API, for the demo and the tests: api.stripe.com cannot be reached
 * from our machines (../shared/platform-notes.md), so the real `stripe` SDK is pointed here with
 * STRIPE_API_URL. It answers the calls the marketplace makes — Checkout Sessions, Payment
 * Intents, Charges, Refunds, Connect Express accounts and account links — with objects shaped
 * like Stripe's (fixtures.ts), honours `Idempotency-Key` as Stripe does (same key and body: the
 * same answer; same key, other body: 400 idempotency_error), records every request (form body,
 * Stripe-Version, Idempotency-Key, Stripe-Account) and can be told to fail the next calls with
 * 402, 429 or 5xx. It also plays the parts a buyer and Stripe play after a checkout: a test
 * payment page (which says plainly that nothing is charged), webhooks signed with the SDK's own
 * test-header helper and posted to our endpoint, asynchronous Alipay / WeChat Pay outcomes,
 * disputes, and a Connect onboarding page.
 *
 *   tsx scripts/fake-stripe/server.ts     (PORT, WEBHOOK_URL, STRIPE_WEBHOOK_SECRET from the env)
 *
 * Nothing here is production code; nothing in app/ imports it.
 */
import { randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import Stripe from 'stripe'
import * as fx from './fixtures.ts'
import { payPage, onboardPage } from './pages.ts'

export type RecordedRequest = {
  method: string
  path: string
  params: Record<string, unknown>
  stripeVersion?: string
  idempotencyKey?: string
  stripeAccount?: string
}

export type FakeStripeOptions = {
  port?: number
  /** Where events are delivered (our /webhooks/stripe). */
  webhookUrl?: string
  webhookSecret: string
  /** Asynchronous methods (Alipay, WeChat Pay) succeed by themselves after this long; 0: only
   * when told (tests). The demo sets a few seconds so that a newcomer sees 等待支付确认 pass. */
  asyncSuccessAfterMs?: number
}

type Failure = { pathPrefix: string; status: number; remaining: number }

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`

/** Stripe's form encoding (a[b][0][c]=v) → nested objects and arrays. */
export function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of body.split('&')) {
    if (!pair) continue
    const [k, v = ''] = pair.split('=').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')))
    const path = (k ?? '').match(/[^[\]]+/g) ?? []
    let node: Record<string, unknown> = out
    path.forEach((seg, i) => {
      if (i === path.length - 1) node[seg] = v
      else node = (node[seg] ??= /^\d+$/.test(path[i + 1]!) ? [] : {}) as Record<string, unknown>
    })
  }
  return out
}

export async function startFakeStripe(opts: FakeStripeOptions) {
  const signer = new Stripe('sk_test_fake_signer_only')
  const state = {
    sessions: new Map<string, fx.FakeSession>(),
    intents: new Map<string, fx.FakeIntent>(),
    charges: new Map<string, fx.FakeCharge>(),
    refunds: new Map<string, fx.FakeRefund>(),
    disputes: new Map<string, fx.FakeDispute>(),
    accounts: new Map<string, fx.FakeAccount>(),
  }
  const requests: RecordedRequest[] = []
  const idempotent = new Map<string, { body: string; status: number; response: unknown }>()
  const failures: Failure[] = []
  const delivered: { event: fx.FakeEvent; status: number }[] = []
  let base = ''
  let webhookUrl = opts.webhookUrl ?? ''

  function event(type: string, object: unknown, account?: string): fx.FakeEvent {
    return fx.event(id('evt'), type, object, account)
  }

  /** Signs and posts an event to our endpoint, as Stripe does (retrying a refused delivery a few times). */
  async function deliver(ev: fx.FakeEvent, o: { secret?: string; timestamp?: number; body?: string } = {}) {
    const payload = o.body ?? JSON.stringify(ev)
    const header = signer.webhooks.generateTestHeaderString({
      payload,
      secret: o.secret ?? opts.webhookSecret,
      ...(o.timestamp ? { timestamp: o.timestamp } : {}),
    })
    let status = 0
    for (let attempt = 0; attempt < 3 && webhookUrl; attempt++) {
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          body: payload,
        })
        status = res.status
        await res.arrayBuffer()
        if (status < 500) break
      } catch {
        status = 0
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)))
    }
    delivered.push({ event: ev, status })
    return status
  }

  /** The method the buyer chose on the payment page, by session. Stripe's intent keeps listing every
   * method it allowed; only the charge says which one paid (payment_method_details.type). */
  const chosen = new Map<string, fx.PayMethod>()

  function completeSession(s: fx.FakeSession, method: fx.PayMethod) {
    if (s.status !== 'open') return null
    const intent = state.intents.get(s.payment_intent!)!
    s.status = 'complete'
    chosen.set(s.id, method)
    if (method === 'card') {
      s.payment_status = 'paid'
      succeedIntent(intent, method)
    } else {
      s.payment_status = 'unpaid'
      intent.status = 'processing'
    }
    return event('checkout.session.completed', s)
  }

  function succeedIntent(intent: fx.FakeIntent, method: fx.PayMethod) {
    const charge = fx.charge(id('ch'), intent, method, id('tr'))
    state.charges.set(charge.id, charge)
    intent.status = 'succeeded'
    intent.latest_charge = charge.id
  }

  /** Alipay / WeChat Pay: the money arrives (or not) after the buyer has left the page. */
  async function settleAsync(sessionId: string, outcome: 'succeeded' | 'failed') {
    const s = state.sessions.get(sessionId)
    if (!s || s.status !== 'complete' || s.payment_status !== 'unpaid') return null
    const intent = state.intents.get(s.payment_intent!)!
    if (outcome === 'succeeded') {
      s.payment_status = 'paid'
      succeedIntent(intent, chosen.get(s.id) ?? 'alipay')
    } else {
      intent.status = 'requires_payment_method'
    }
    const ev = event(`checkout.session.async_payment_${outcome}`, s)
    await deliver(ev)
    return ev
  }

  function refund(params: Record<string, unknown>) {
    const intentId = String(params.payment_intent ?? '')
    const charge =
      state.charges.get(String(params.charge ?? '')) ??
      state.charges.get(state.intents.get(intentId)?.latest_charge ?? '')
    if (!charge) return fx.error(404, 'invalid_request_error', 'resource_missing', 'No such charge or payment intent')
    const left = charge.amount - charge.amount_refunded
    const amount = params.amount === undefined ? left : Number(params.amount)
    if (!Number.isInteger(amount) || amount <= 0 || amount > left)
      return fx.error(
        400,
        'invalid_request_error',
        'amount_too_large',
        `Refund amount (¥${amount / 100}) is greater than unrefunded amount on charge (¥${left / 100})`,
      )
    const r = fx.refund(id('re'), charge, amount, params)
    state.refunds.set(r.id, r)
    charge.amount_refunded += amount
    charge.refunded = charge.amount_refunded === charge.amount
    charge.refunds.data.unshift(r)
    charge.refunds.total_count++
    return { status: 200, body: r, after: event('charge.refunded', charge) }
  }

  type Answer = { status: number; body: unknown; after?: fx.FakeEvent }

  /** The API: one function per path we use. */
  function api(method: string, path: string, p: Record<string, unknown>): Answer {
    let m: RegExpExecArray | null
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const s = fx.session(id('cs'), id('pi'), p, base)
      if (s instanceof Error) return fx.error(400, 'invalid_request_error', 'parameter_invalid', s.message)
      state.sessions.set(s.id, s)
      state.intents.set(s.payment_intent!, fx.intent(s.payment_intent!, s, p))
      return { status: 200, body: s }
    }
    if ((m = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(path)) && method === 'GET') {
      const s = state.sessions.get(m[1]!)
      if (!s) return fx.error(404, 'invalid_request_error', 'resource_missing', 'No such session')
      // expand[]=payment_intent: the intent inline instead of its id, as Stripe answers.
      const expand = Object.values((p.expand as Record<string, string>) ?? {})
      const intent = expand.includes('payment_intent') && s.payment_intent ? state.intents.get(s.payment_intent) : null
      // …and its latest charge inside it (payment_intent.latest_charge).
      const charge =
        intent?.latest_charge && expand.includes('payment_intent.latest_charge')
          ? state.charges.get(intent.latest_charge)
          : null
      return {
        status: 200,
        body: intent ? { ...s, payment_intent: charge ? { ...intent, latest_charge: charge } : intent } : s,
      }
    }
    if ((m = /^\/v1\/checkout\/sessions\/([\w]+)\/expire$/.exec(path)) && method === 'POST') {
      const s = state.sessions.get(m[1]!)
      if (!s) return fx.error(404, 'invalid_request_error', 'resource_missing', 'No such session')
      if (s.status !== 'open') return fx.error(400, 'invalid_request_error', 'session_not_open', 'Session is not open')
      s.status = 'expired'
      return { status: 200, body: s, after: event('checkout.session.expired', s) }
    }
    if ((m = /^\/v1\/payment_intents\/([\w]+)$/.exec(path)) && method === 'GET') {
      const pi = state.intents.get(m[1]!)
      return pi
        ? { status: 200, body: pi }
        : fx.error(404, 'invalid_request_error', 'resource_missing', 'No such intent')
    }
    if ((m = /^\/v1\/charges\/([\w]+)$/.exec(path)) && method === 'GET') {
      const ch = state.charges.get(m[1]!)
      return ch
        ? { status: 200, body: ch }
        : fx.error(404, 'invalid_request_error', 'resource_missing', 'No such charge')
    }
    if ((m = /^\/v1\/disputes\/([\w]+)$/.exec(path)) && method === 'GET') {
      const d = state.disputes.get(m[1]!)
      return d
        ? { status: 200, body: d }
        : fx.error(404, 'invalid_request_error', 'resource_missing', 'No such dispute')
    }
    if (method === 'POST' && path === '/v1/refunds') return refund(p)
    if (method === 'POST' && path === '/v1/accounts') {
      const a = fx.account(id('acct'), p)
      state.accounts.set(a.id, a)
      return { status: 200, body: a }
    }
    if ((m = /^\/v1\/accounts\/([\w]+)$/.exec(path)) && method === 'GET') {
      const a = state.accounts.get(m[1]!)
      return a
        ? { status: 200, body: a }
        : fx.error(404, 'invalid_request_error', 'resource_missing', 'No such account')
    }
    if (method === 'POST' && path === '/v1/account_links') {
      const a = state.accounts.get(String(p.account))
      if (!a) return fx.error(400, 'invalid_request_error', 'resource_missing', 'No such account')
      const q = new URLSearchParams({
        return_url: String(p.return_url ?? ''),
        refresh_url: String(p.refresh_url ?? ''),
      })
      return { status: 200, body: fx.accountLink(`${base}/connect/onboard/${a.id}?${q}`) }
    }
    return fx.error(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL (${method}: ${path})`)
  }

  async function readBody(req: IncomingMessage, limit = 1_000_000) {
    const chunks: Buffer[] = []
    let size = 0
    for await (const c of req) {
      size += (c as Buffer).length
      if (size > limit) throw new Error('body too large')
      chunks.push(c as Buffer)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
      'request-id': id('req'),
      ...headers,
    })
    res.end(text)
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base)
    const path = url.pathname
    const raw = await readBody(req)
    const params = req.headers['content-type']?.includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, unknown>)
      : parseForm(raw || url.search.slice(1))
    let m: RegExpExecArray | null

    // ── the API, as the SDK calls it ──
    if (path.startsWith('/v1/')) {
      const auth = req.headers.authorization ?? ''
      if (!/^Bearer sk_(test|live)_/.test(auth))
        return send(
          res,
          401,
          fx.error(401, 'invalid_request_error', 'api_key_invalid', 'Invalid API Key provided').body,
        )
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        params,
        stripeVersion: req.headers['stripe-version'] as string | undefined,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        stripeAccount: req.headers['stripe-account'] as string | undefined,
      }
      requests.push(rec)
      const fail = failures.find((f) => path.startsWith(f.pathPrefix) && f.remaining > 0)
      if (fail) {
        fail.remaining--
        const type = fail.status === 402 ? 'card_error' : fail.status === 429 ? 'rate_limit_error' : 'api_error'
        const code = fail.status === 402 ? 'card_declined' : fail.status === 429 ? 'rate_limit' : 'api_error'
        return send(res, fail.status, fx.error(fail.status, type, code, `Injected ${fail.status}`).body)
      }
      const key = rec.idempotencyKey && rec.method === 'POST' ? `${path} ${rec.idempotencyKey}` : null
      const seen = key ? idempotent.get(key) : undefined
      if (seen) {
        if (seen.body !== raw)
          return send(
            res,
            400,
            fx.error(
              400,
              'idempotency_error',
              'idempotency_key_in_use',
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            ).body,
          )
        return send(res, seen.status, seen.response, { 'idempotent-replayed': 'true' })
      }
      const answer = api(rec.method, path, params)
      if (key && answer.status < 500) idempotent.set(key, { body: raw, status: answer.status, response: answer.body })
      send(res, answer.status, answer.body)
      if (answer.after) void deliver(answer.after)
      return
    }

    // ── the test payment page (the buyer's part) ──
    if ((m = /^\/pay\/([\w]+)$/.exec(path))) {
      const s = state.sessions.get(m[1]!)
      if (!s) return send(res, 404, payPage.missing())
      if (req.method === 'GET') return send(res, 200, payPage.render(s))
      if (params.outcome === 'cancel') return send(res, 303, '', { location: s.cancel_url })
      const method = (['card', 'alipay', 'wechat_pay'] as const).find((x) => x === params.method)
      if (!method || !s.payment_method_types.includes(method))
        return send(res, 400, payPage.render(s, '请选择一种支付方式'))
      const ev = completeSession(s, method)
      if (ev) await deliver(ev)
      if (ev && method !== 'card' && opts.asyncSuccessAfterMs)
        setTimeout(() => void settleAsync(s.id, 'succeeded'), opts.asyncSuccessAfterMs).unref()
      return send(res, 303, '', { location: s.success_url.replace('{CHECKOUT_SESSION_ID}', s.id) })
    }

    // ── Connect onboarding (the provider's part) ──
    if ((m = /^\/connect\/onboard\/([\w]+)$/.exec(path))) {
      const a = state.accounts.get(m[1]!)
      if (!a) return send(res, 404, onboardPage.missing())
      if (req.method === 'GET') return send(res, 200, onboardPage.render(a, url.search))
      Object.assign(a, { details_submitted: true, charges_enabled: true, payouts_enabled: true })
      await deliver(event('account.updated', a, a.id))
      return send(res, 303, '', { location: url.searchParams.get('return_url') || '/' })
    }

    // ── control, for tests and the demo ──
    if (path === '/_fake/requests') return send(res, 200, requests)
    if ((m = /^\/_fake\/sessions\/([\w]+)\/(pay|async)$/.exec(path)) && req.method === 'POST') {
      const s = state.sessions.get(m[1]!)
      if (!s) return send(res, 404, { error: 'no such session' })
      if (m[2] === 'pay') {
        const ev = completeSession(s, (params.method as fx.PayMethod) ?? 'card')
        if (ev && params.deliver !== 'false') await deliver(ev)
        return send(res, 200, { session: s, event: ev })
      }
      return send(res, 200, { event: await settleAsync(s.id, params.outcome === 'failed' ? 'failed' : 'succeeded') })
    }
    if ((m = /^\/_fake\/charges\/([\w]+)\/dispute$/.exec(path)) && req.method === 'POST') {
      const ch = state.charges.get(m[1]!)
      if (!ch) return send(res, 404, { error: 'no such charge' })
      const d = fx.dispute(id('dp'), ch)
      // status=warning_needs_response: an inquiry (retrieval request) rather than a chargeback.
      if (typeof params.status === 'string' && params.status) d.status = params.status
      state.disputes.set(d.id, d)
      ch.disputed = true
      const ev = event('charge.dispute.created', d)
      await deliver(ev)
      return send(res, 200, { dispute: d, event: ev })
    }
    if ((m = /^\/_fake\/disputes\/([\w]+)\/close$/.exec(path)) && req.method === 'POST') {
      const d = state.disputes.get(m[1]!)
      if (!d) return send(res, 404, { error: 'no such dispute' })
      d.status = params.status === 'won' ? 'won' : 'lost'
      const ev = event('charge.dispute.closed', d)
      await deliver(ev)
      return send(res, 200, { dispute: d, event: ev })
    }
    if (path === '/_fake/fail' && req.method === 'POST') {
      failures.push({
        pathPrefix: String(params.path ?? '/v1/'),
        status: Number(params.status ?? 500),
        remaining: Number(params.count ?? 1),
      })
      return send(res, 200, { ok: true })
    }
    send(res, 404, { error: { message: `no route ${path}` } })
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, { error: { type: 'api_error', message: e.message } })
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    state,
    requests,
    delivered,
    deliver,
    event,
    settleAsync,
    setWebhookUrl(u: string) {
      webhookUrl = u
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fake = await startFakeStripe({
    port: Number(process.env.PORT ?? 12111),
    webhookUrl: process.env.WEBHOOK_URL ?? 'http://127.0.0.1:3000/webhooks/stripe',
    webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_dev_only_0123456789abcdef',
    asyncSuccessAfterMs: Number(process.env.ASYNC_SUCCESS_AFTER_MS ?? 6000),
  })
  console.log(`[fake-stripe] ${fake.url} (test payments only)`)
}
