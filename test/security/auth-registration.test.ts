/**
 * Self-registration must prove the phone or e-mail is the registrant's (a one-time code sent to
 * it), must not tell a stranger which numbers have accounts, gives a member (browse, rate,
 * comment, collect) rather than a teacher with upload rights, and a platform can turn it off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server?.close())

const from = (ip: string) => new Browser(server.base, { 'x-forwarded-for': ip })

/** Messages written to the outbox for `to` (what the SMS or e-mail would carry), newest first. */
async function messagesTo(to: string) {
  const rows = await prisma.jobOutbox.findMany({ where: { jobName: 'message.send' }, orderBy: { id: 'desc' } })
  return rows.map((r) => r.payload as { to?: string; body?: string }).filter((p) => p.to === to)
}
const codeIn = (body: string | undefined) => /(?<!\d)(\d{6})(?!\d)/.exec(body ?? '')?.[1] ?? null

const profile = (identifier: string) => ({
  displayName: '新注册的老师',
  identifier,
  password: 'Xiangjiang2026',
  schoolName: '醴陵市第二中学',
  subjects: '数学',
})

/** A response with what differs between any two requests (the number asked about, the CSP
 * nonce of each page) taken out. */
async function answer(res: Response, identifier: string) {
  const body = (await res.text()).replaceAll(identifier, '<identifier>').replace(/nonce="[^"]*"/g, 'nonce=""')
  const headers = [...res.headers]
    .filter(([h]) => !['date', 'x-request-id', 'content-length', 'content-security-policy'].includes(h))
    .map(([h, v]) => `${h}: ${v}`)
  return { status: res.status, location: res.headers.get('location'), headers: headers.sort(), body }
}

describe('self-registration', () => {
  it('registering without a one-time code is refused; with one, the province root gives a member who may not upload', async () => {
    const b = from('198.51.100.31')
    const phone = '13912340001'
    const token = await b.csrfToken('/p/hunan/register')
    const noCode = await b.post('/p/hunan/register', { _csrf: token, intent: 'register', ...profile(phone) })
    expect(noCode.status).toBe(400)
    expect(await prisma.user.count({ where: { phone } })).toBe(0)
    const madeUp = await b.post('/p/hunan/register', {
      _csrf: token,
      intent: 'register',
      code: '123456',
      ...profile(phone),
    })
    expect(madeUp.status).toBe(400)
    expect(await prisma.user.count({ where: { phone } })).toBe(0)

    expect((await b.post('/p/hunan/register', { _csrf: token, intent: 'send-code', identifier: phone })).status).toBe(
      200,
    )
    const code = codeIn((await messagesTo(phone))[0]?.body)
    expect(code).toMatch(/^\d{6}$/)
    const done = await b.post('/p/hunan/register', { _csrf: token, intent: 'register', code: code!, ...profile(phone) })
    expect(done.status).toBe(302)
    const user = await prisma.user.findUniqueOrThrow({ where: { phone }, include: { roles: true } })
    expect(user.roles.map((r) => r.role)).toEqual(['MEMBER'])

    // Signed in by the registration, the member is refused an upload on the province root.
    const up = await b.post('/p/hunan/api/uploads', { _csrf: token, name: '课件.pdf', size: '1000' })
    expect(up.status).toBe(403)
  })

  it('the registration steps answer a registered and an unregistered number alike', async () => {
    const b = from('198.51.100.32')
    const token = await b.csrfToken('/p/liling/register')
    const seen = []
    for (const phone of [PHONES.lilingTeacher, '13912340002']) {
      const sent = await b.post('/p/liling/register', { _csrf: token, intent: 'send-code', identifier: phone })
      const real = codeIn((await messagesTo(phone))[0]?.body)
      const guess = real === '123456' ? '654321' : '123456' // what a stranger without the message can do
      const tried = await b.post('/p/liling/register', {
        _csrf: token,
        intent: 'register',
        code: guess,
        ...profile(phone),
      })
      seen.push({ sent: await answer(sent, phone), tried: await answer(tried, phone) })
    }
    expect(seen[1]!.sent).toEqual(seen[0]!.sent)
    expect(seen[1]!.tried).toEqual(seen[0]!.tried)
    expect(seen[0]!.tried.status).toBe(400)
    expect(await prisma.user.count({ where: { phone: '13912340002' } })).toBe(0)
    // The owner of the registered number is told someone tried; no code goes to them.
    const notice = (await messagesTo(PHONES.lilingTeacher))[0]
    expect(notice?.body).toBeTruthy()
    expect(codeIn(notice?.body)).toBeNull()
  })

  it('a platform whose admin turned self-registration off refuses it', async () => {
    const admin = from('198.51.100.33')
    expect((await admin.signIn('changsha', PHONES.changshaAdmin, DEMO_PASSWORD)).status).toBe(302)
    const adminToken = await admin.csrfToken('/p/changsha') // any page's token: it belongs to the cookie
    const set = await admin.post('/p/changsha/admin/teachers', {
      _csrf: adminToken,
      intent: 'registration-mode',
      registrationMode: 'OFF',
    })
    expect.soft(set.status).toBe(200)

    const b = from('198.51.100.34')
    const phone = '13912340003'
    const token = await b.csrfToken('/p/liling/register')
    // A code obtained on a platform that is open does not open a closed one.
    await b.post('/p/liling/register', { _csrf: token, intent: 'send-code', identifier: phone })
    const code = codeIn((await messagesTo(phone))[0]?.body) ?? '123456'
    const sent = await b.post('/p/changsha/register', { _csrf: token, intent: 'send-code', identifier: phone })
    const tried = await b.post('/p/changsha/register', { _csrf: token, intent: 'register', code, ...profile(phone) })
    expect(tried.status).toBe(403)
    expect(sent.status).toBe(403)
    expect(await prisma.user.count({ where: { phone } })).toBe(0)
  })
})
