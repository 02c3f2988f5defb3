/**
 * Sign-in throttling must stop guessing without handing a stranger a way to lock real people
 * out. The lock is per (account, IP): a stranger's failures lock the stranger's network only;
 * counting is atomic, so a burst of parallel guesses gets no more password checks than the
 * limit; and the owner lifts a lock on their own network with a one-time code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server?.close())

/** A browser whose requests come from `ip` (the test server trusts X-Forwarded-For from loopback). */
const from = (ip: string) => new Browser(server.base, { 'x-forwarded-for': ip })

/** The newest one-time code written to the message outbox for `to` (what the SMS would carry). */
async function lastCodeTo(to: string) {
  const rows = await prisma.jobOutbox.findMany({ where: { jobName: 'message.send' }, orderBy: { id: 'desc' } })
  const msg = rows.map((r) => r.payload as { to?: string; body?: string }).find((p) => p.to === to)
  return /(?<!\d)(\d{6})(?!\d)/.exec(msg?.body ?? '')?.[1] ?? null
}

const failures = (phone: string, action: string) =>
  prisma.auditLog.count({ where: { action, data: { path: ['account'], equals: `phone:${phone}` } } })

describe('sign-in throttling', () => {
  it("a stranger's 11 wrong passwords lock the stranger's IP only: the owner still signs in from their own IP", async () => {
    const stranger = from('203.0.113.66')
    const statuses: number[] = []
    for (let i = 1; i <= 11; i++)
      statuses.push((await stranger.signIn('liling', PHONES.lilingReviewer, `wrong-guess-${i}`)).status)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses[10]).toBe(429)

    const owner = from('198.51.100.20')
    const res = await owner.signIn('liling', PHONES.lilingReviewer, DEMO_PASSWORD)
    expect(res.status).toBe(302)

    // The lock holds where the guessing came from, even for the right password.
    expect((await stranger.signIn('liling', PHONES.lilingReviewer, DEMO_PASSWORD)).status).toBe(429)
  })

  it('50 parallel wrong guesses on one account are all counted: no more than the limit reach a password check', async () => {
    const max = env().SIGNIN_MAX_FAILURES
    const b = from('203.0.113.77')
    const token = await b.csrfToken('/p/liling/login')
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        b.post('/p/liling/login', { _csrf: token, identifier: PHONES.lilingTeacher2, password: `guess-${i}-x1` }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(max)
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - max)
    // Each password check writes one failure; each refusal before the check one throttle entry.
    expect(await failures(PHONES.lilingTeacher2, 'auth.sign_in_failed')).toBe(max)
    expect(await failures(PHONES.lilingTeacher2, 'auth.sign_in_throttled')).toBe(50 - max)
    // And the pair is now locked: the right password from there is refused too.
    expect((await b.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)).status).toBe(429)
  })

  it('the owner lifts the lock on a shared network with a one-time code and signs in; a wrong or used code does not', async () => {
    const ip = '192.0.2.50' // a school's network: the stranger and the owner share one address
    const stranger = from(ip)
    for (let i = 1; i <= env().SIGNIN_MAX_FAILURES; i++)
      await stranger.signIn('liling', PHONES.zhuzhouReviewer, `wrong-guess-${i}`)
    const owner = from(ip)
    expect((await owner.signIn('liling', PHONES.zhuzhouReviewer, DEMO_PASSWORD)).status).toBe(429)

    const token = await owner.csrfToken('/p/liling/login') // any page's token: it belongs to the cookie
    const sent = await owner.post('/p/liling/unlock', {
      _csrf: token,
      intent: 'send',
      identifier: PHONES.zhuzhouReviewer,
    })
    expect.soft(sent.status).toBe(200)
    const code = await lastCodeTo(PHONES.zhuzhouReviewer)
    expect.soft(code).toMatch(/^\d{6}$/)

    const wrong = code === '123456' ? '654321' : '123456'
    const bad = await owner.post('/p/liling/unlock', {
      _csrf: token,
      intent: 'verify',
      identifier: PHONES.zhuzhouReviewer,
      code: wrong,
    })
    expect.soft(bad.status).toBe(400)
    expect((await owner.signIn('liling', PHONES.zhuzhouReviewer, DEMO_PASSWORD)).status).toBe(429)

    const ok = await owner.post('/p/liling/unlock', {
      _csrf: token,
      intent: 'verify',
      identifier: PHONES.zhuzhouReviewer,
      code: code ?? '000000',
    })
    expect.soft(ok.status).toBe(200)
    expect((await owner.signIn('liling', PHONES.zhuzhouReviewer, DEMO_PASSWORD)).status).toBe(302)

    // The code worked once: it is spent.
    const reused = await owner.post('/p/liling/unlock', {
      _csrf: token,
      intent: 'verify',
      identifier: PHONES.zhuzhouReviewer,
      code: code ?? '000000',
    })
    expect(reused.status).toBe(400)
  }, 60_000)
})
