import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { registerUser } from '~/services/auth/register-user.server.ts'
import { getActorForSession } from '~/services/auth/sessions.server.ts'
import { signIn } from '~/services/auth/sign-in.server.ts'
import { setUserStatus } from '~/services/platform/manage-roles.server.ts'
import { actorByPhone, DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server?.close())

async function failure(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    if (isAppError(e)) return e
    throw e
  }
  throw new Error('expected a failure')
}

describe('CSRF', () => {
  it('refuses a state-changing request without a valid token, and accepts one with it', async () => {
    const b = new Browser(server.base)
    const token = await b.csrfToken('/p/liling/login')
    const creds = { identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD }

    const none = await b.post('/p/liling/login', creds)
    expect(none.status).toBe(403)
    const forged = await b.post('/p/liling/login', { ...creds, _csrf: token.slice(0, -2) + 'xx' })
    expect(forged.status).toBe(403)
    // A token taken from another visitor's page does not fit this visitor's cookie.
    const other = new Browser(server.base)
    const otherToken = await other.csrfToken('/p/liling/login')
    expect((await b.post('/p/liling/login', { ...creds, _csrf: otherToken })).status).toBe(403)
    // A cross-site form post is refused before any handler runs, even with a token.
    const cross = await b.post(
      '/p/liling/login',
      { ...creds, _csrf: token },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    )
    expect(cross.status).toBe(403)
    expect(await prisma.session.count()).toBe(0)

    const ok = await b.post('/p/liling/login', { ...creds, _csrf: token })
    expect(ok.status).toBe(302)
    expect(await prisma.session.count()).toBe(1)
  })

  it('refuses sign-out and admin changes without a token', async () => {
    const b = new Browser(server.base)
    expect((await b.signIn('liling', PHONES.lilingAdmin, DEMO_PASSWORD)).status).toBe(302)
    const res = await b.post('/p/liling/admin', {
      intent: 'branding',
      name: 'X',
      bannerText: '',
      primaryColor: '#000000',
      accentColor: '#000000',
      logoUrl: '',
    })
    expect(res.status).toBe(403)
    expect((await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).name).toBe('醴陵市教育资源平台')
    expect((await b.post('/logout', {})).status).toBe(403)
  })
})

describe('passwords', () => {
  it('are stored only as scrypt hashes and never written to a log', async () => {
    const password = 'Xiangjiang2026abc'
    const user = await registerUser({
      platformSlug: 'liling',
      displayName: '测试教师',
      identifier: '13900000001',
      password,
    })
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
    expect(row.passwordHash.startsWith('scrypt$15$8$1$')).toBe(true)
    expect(row.passwordHash).not.toContain(password)

    // Through the web: a failed sign-in, a successful one, a password change.
    const b = new Browser(server.base)
    await b.signIn('liling', '13900000001', password + 'wrong')
    await b.signIn('liling', '13900000001', password)
    const token = await b.csrfToken('/p/liling/me')
    const change = await b.post('/p/liling/me', {
      _csrf: token,
      currentPassword: password,
      newPassword: 'Yuelu2026xyz',
      confirmPassword: 'Yuelu2026xyz',
    })
    expect(change.status).toBe(200)

    const log = fs.readFileSync(process.env.LOG_FILE!, 'utf8')
    expect(log.length).toBeGreaterThan(0)
    expect(log).toContain('/p/liling/login') // the requests were logged…
    for (const secret of [password, password + 'wrong', 'Yuelu2026xyz']) expect(log).not.toContain(secret) // …their passwords not
    const audit = JSON.stringify(await prisma.auditLog.findMany(), (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    )
    for (const secret of [password, 'Yuelu2026xyz']) expect(audit).not.toContain(secret)
  })

  it('rejects weak passwords with a Chinese message', async () => {
    const b = new Browser(server.base)
    const token = await b.csrfToken('/p/liling/register')
    const res = await b.post('/p/liling/register', {
      _csrf: token,
      displayName: '王老师',
      identifier: '13900000002',
      password: '12345678',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('密码需同时包含字母和数字')
  })
})

describe('sign-in throttling', () => {
  it('refuses the 11th failed attempt on an account within the window, even with the right password', async () => {
    for (let i = 1; i <= 10; i++) {
      const e = await failure(signIn({ identifier: PHONES.lilingTeacher2, password: `wrong${i}`, ip: `10.0.0.${i}` }))
      expect(e.code).toBe('UNAUTHENTICATED')
    }
    const eleventh = await failure(
      signIn({ identifier: PHONES.lilingTeacher2, password: DEMO_PASSWORD, ip: '10.0.0.99' }),
    )
    expect(eleventh.code).toBe('RATE_LIMITED')
    expect(await prisma.auditLog.count({ where: { action: 'auth.sign_in_throttled' } })).toBeGreaterThan(0)
  })

  it('refuses the 11th failure from one IP across accounts', async () => {
    const ip = '192.0.2.7'
    for (let i = 1; i <= 10; i++)
      await failure(signIn({ identifier: `1370000${String(i).padStart(4, '0')}`, password: 'nope1234', ip }))
    const e = await failure(signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip }))
    expect(e.code).toBe('RATE_LIMITED')
    // Another IP is unaffected.
    await expect(
      signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip: '192.0.2.8' }),
    ).resolves.toHaveProperty('sessionId')
  })

  it('answers 429 over HTTP with a Chinese message', async () => {
    const b = new Browser(server.base, { 'x-forwarded-for': '198.51.100.1' })
    let last: Response | undefined
    for (let i = 0; i < 11; i++) last = await b.signIn('liling', PHONES.lilingReviewer, 'wrong-password-1')
    expect(last!.status).toBe(429)
    expect(await last!.text()).toContain('尝试次数过多')
  })
})

describe('sessions', () => {
  it('a new session id on every sign-in; the old one stops working', async () => {
    const a = await signIn({ identifier: PHONES.zhuzhouReviewer, password: DEMO_PASSWORD, ip: '203.0.113.1' })
    const b = await signIn({
      identifier: PHONES.zhuzhouReviewer,
      password: DEMO_PASSWORD,
      ip: '203.0.113.1',
      previousSessionId: a.sessionId,
    })
    expect(b.sessionId).not.toBe(a.sessionId)
    expect(await getActorForSession(a.sessionId)).toBeNull()
    expect(await getActorForSession(b.sessionId)).not.toBeNull()
  })

  it('a disabled user is signed out everywhere at once and cannot sign in again', async () => {
    const s1 = await signIn({ identifier: PHONES.changshaxianTeacher, password: DEMO_PASSWORD, ip: '203.0.113.2' })
    const s2 = await signIn({ identifier: PHONES.changshaxianTeacher, password: DEMO_PASSWORD, ip: '203.0.113.3' })
    const admin = await actorByPhone(PHONES.changshaAdmin)
    await setUserStatus(admin, { userId: s1.userId, status: 'DISABLED' })
    expect(await getActorForSession(s1.sessionId)).toBeNull()
    expect(await getActorForSession(s2.sessionId)).toBeNull()
    expect(await prisma.session.count({ where: { userId: s1.userId } })).toBe(0)
    const e = await failure(
      signIn({ identifier: PHONES.changshaxianTeacher, password: DEMO_PASSWORD, ip: '203.0.113.4' }),
    )
    expect(e.messageKey).toBe('auth.disabled')
    expect(await prisma.auditLog.count({ where: { action: 'user.disable', targetId: s1.userId } })).toBe(1)
  })

  it('the audit log cannot be rewritten', async () => {
    expect(await prisma.auditLog.count()).toBeGreaterThan(0)
    await expect(prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/)
    await expect(prisma.auditLog.updateMany({ data: { action: 'x' } })).rejects.toThrow(/append-only/)
  })
})
