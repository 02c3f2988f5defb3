import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { env } from '~/lib/env.server.ts'
import { can } from '~/services/authorization.server.ts'
import { registerUser, requestRegistrationCode } from '~/services/auth/register-user.server.ts'
import { getActorForSession } from '~/services/auth/sessions.server.ts'
import { signIn } from '~/services/auth/sign-in.server.ts'
import {
  decideTeacherRequest,
  listTeacherRequests,
  requestTeacherCertification,
  setRegistrationMode,
} from '~/services/auth/teacher-certification.server.ts'
import { setUserStatus } from '~/services/platform/manage-roles.server.ts'
import { actorByPhone, DEMO_PASSWORD, outcomeOf, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server?.close())

/** The newest six-digit code the outbox holds for `to` (what the SMS or e-mail carries). */
async function lastCodeTo(to: string) {
  const rows = await prisma.jobOutbox.findMany({ where: { jobName: 'message.send' }, orderBy: { id: 'desc' } })
  const body = rows.map((r) => r.payload as { to: string; body: string }).find((p) => p.to === to)?.body
  return /(?<!\d)(\d{6})(?!\d)/.exec(body ?? '')?.[1] ?? null
}

/** Registers through both steps of the service, as the registration page does. */
async function registerWithCode(input: {
  platformSlug: string
  identifier: string
  password: string
  displayName?: string
  wantsTeacher?: boolean
  ip?: string
}) {
  const ip = input.ip ?? '203.0.113.200'
  await requestRegistrationCode({ platformSlug: input.platformSlug, identifier: input.identifier, locale: 'zh-CN', ip })
  const code = (await lastCodeTo(input.identifier)) ?? ''
  return registerUser({ displayName: '测试教师', ...input, code, ip })
}

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
    const user = await registerWithCode({ platformSlug: 'liling', identifier: '13900000001', password })
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
  it('locks an (account, IP) pair after SIGNIN_MAX_FAILURES failures, right password or not; other IPs still sign in', async () => {
    const max = env().SIGNIN_MAX_FAILURES
    for (let i = 1; i <= max; i++) {
      const e = await failure(signIn({ identifier: PHONES.lilingTeacher2, password: `wrong${i}`, ip: '10.0.0.1' }))
      expect(e.code).toBe('UNAUTHENTICATED')
    }
    const locked = await failure(signIn({ identifier: PHONES.lilingTeacher2, password: DEMO_PASSWORD, ip: '10.0.0.1' }))
    expect(locked.code).toBe('RATE_LIMITED')
    expect(locked.messageKey).toBe('auth.signIn.locked')
    expect(
      await prisma.auditLog.count({
        where: { action: 'auth.sign_in_throttled', data: { path: ['scope'], equals: 'pair' } },
      }),
    ).toBeGreaterThan(0)
    // Failures spread over many IPs lock nothing, and the owner's own IP is untouched.
    await expect(
      signIn({ identifier: PHONES.lilingTeacher2, password: DEMO_PASSWORD, ip: '10.0.0.2' }),
    ).resolves.toHaveProperty('sessionId')
  })

  it("the same account's phone and e-mail share one count; a success clears the pair", async () => {
    const ip = '10.0.1.1'
    for (let i = 1; i < env().SIGNIN_MAX_FAILURES; i++)
      await failure(
        signIn({ identifier: i % 2 ? PHONES.lilingTeacher : 'chenxm@liling.demo', password: `x${i}yz1`, ip }),
      )
    await expect(signIn({ identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD, ip })).resolves.toHaveProperty(
      'sessionId',
    )
    // Counting starts again: another SIGNIN_MAX_FAILURES - 1 failures do not lock.
    for (let i = 1; i < env().SIGNIN_MAX_FAILURES; i++)
      await failure(signIn({ identifier: 'chenxm@liling.demo', password: `again${i}x`, ip }))
    await expect(signIn({ identifier: 'chenxm@liling.demo', password: DEMO_PASSWORD, ip })).resolves.toHaveProperty(
      'sessionId',
    )
  })

  it('slows one IP that fails across many accounts with growing delays, never a lock; another IP is unaffected', async () => {
    const ip = '192.0.2.7'
    const free = 2 * env().SIGNIN_MAX_FAILURES
    for (let i = 1; i <= free + 1; i++)
      expect(
        (await failure(signIn({ identifier: `1370000${String(i).padStart(4, '0')}`, password: 'nope1234', ip }))).code,
      ).toBe('UNAUTHENTICATED')
    // The next attempt, right password included, must wait: 1 s, then 2 s after the next failure.
    const first = await failure(signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip }))
    expect(first.messageKey).toBe('auth.signIn.slowDown')
    expect(first.params.seconds).toBe(1)
    await expect(
      signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip: '192.0.2.8' }),
    ).resolves.toHaveProperty('sessionId')
    await new Promise((r) => setTimeout(r, 1100))
    expect((await failure(signIn({ identifier: '13700009999', password: 'nope1234', ip }))).code).toBe(
      'UNAUTHENTICATED',
    )
    const second = await failure(signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip }))
    expect(second.params.seconds).toBe(2)
    await new Promise((r) => setTimeout(r, 2100))
    // Once the wait is over, the right password goes through.
    await expect(
      signIn({ identifier: PHONES.xiangtanxianTeacher, password: DEMO_PASSWORD, ip }),
    ).resolves.toHaveProperty('sessionId')
  })

  it('answers 429 over HTTP with a Chinese message and a link to unlock', async () => {
    const b = new Browser(server.base, { 'x-forwarded-for': '198.51.100.1' })
    let last: Response | undefined
    for (let i = 0; i < 11; i++) last = await b.signIn('liling', PHONES.lilingReviewer, 'wrong-password-1')
    expect(last!.status).toBe(429)
    expect(last!.headers.get('retry-after')).toBeTruthy()
    const html = await last!.text()
    expect(html).toContain('尝试次数过多')
    expect(html).toContain('/p/liling/unlock')
  })
})

describe('registration', () => {
  it('a registration code allows five attempts, expires, and is stored only as an HMAC', async () => {
    const phone = '13900000011'
    await requestRegistrationCode({ platformSlug: 'liling', identifier: phone, locale: 'zh-CN', ip: '203.0.113.201' })
    const code = (await lastCodeTo(phone))!
    const wrong = code === '000000' ? '111111' : '000000'
    const attempt = (c: string) =>
      outcomeOf(
        registerUser({
          platformSlug: 'liling',
          displayName: '王老师',
          identifier: phone,
          password: 'Abc12345x',
          code: c,
        }),
      )
    for (let i = 0; i < 5; i++) expect(await attempt(wrong)).toBe('VALIDATION')
    expect(await attempt(code)).toBe('VALIDATION') // the attempts are spent
    expect(await prisma.user.count({ where: { phone } })).toBe(0)
    // Another number's code, once past its expiry, is refused too.
    const phone2 = '13900000012'
    await requestRegistrationCode({ platformSlug: 'liling', identifier: phone2, locale: 'zh-CN', ip: '203.0.113.201' })
    const code2 = (await lastCodeTo(phone2))!
    await prisma.verificationCode.updateMany({
      where: { identifier: phone2 },
      data: { expiresAt: new Date(Date.now() - 1) },
    })
    expect(
      await outcomeOf(
        registerUser({
          platformSlug: 'liling',
          displayName: '王老师',
          identifier: phone2,
          password: 'Abc12345x',
          code: code2,
        }),
      ),
    ).toBe('VALIDATION') // expired
    const row = await prisma.verificationCode.findFirstOrThrow({ where: { identifier: phone2 } })
    expect(row.codeHash).not.toContain(code2)
  })

  it('code requests are rate-limited per identifier, the same for a registered number', async () => {
    for (const phone of ['13900000021', PHONES.lilingAdmin]) {
      const ask = () =>
        outcomeOf(
          requestRegistrationCode({ platformSlug: 'liling', identifier: phone, locale: 'zh-CN', ip: '203.0.113.202' }),
        )
      expect(await ask()).toBe('OK')
      expect(await ask()).toBe('RATE_LIMITED') // one a minute
    }
  })

  it('open teacher registration gives a teacher; members ask for 教师认证, which an admin of the platform confirms', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    await setRegistrationMode(admin, liling.id, 'OPEN_TEACHERS')
    const open = await registerWithCode({
      platformSlug: 'liling',
      identifier: 'open.teacher@liling.demo',
      password: 'Abc12345x',
    })
    expect(open.role).toBe('TEACHER')
    await setRegistrationMode(admin, liling.id, 'MEMBERS')

    const member = await registerWithCode({
      platformSlug: 'liling',
      identifier: '13900000031',
      password: 'Abc12345x',
      wantsTeacher: true,
    })
    expect(member.role).toBe('MEMBER')
    const session = await signIn({ identifier: '13900000031', password: 'Abc12345x', ip: '203.0.113.203' })
    const actor = (await getActorForSession(session.sessionId))!
    expect(can(actor, 'resource.upload', liling)).toBe(false)
    // A second request while one is open is refused; so is one on a county that is not theirs.
    expect(
      await outcomeOf(
        requestTeacherCertification(actor, liling.id, { schoolName: '醴陵一中', subjects: '', note: '' }),
      ),
    ).toBe('CONFLICT')
    const csx = await platformBySlug('changshaxian')
    expect(
      await outcomeOf(requestTeacherCertification(actor, csx.id, { schoolName: '醴陵一中', subjects: '', note: '' })),
    ).toBe('VALIDATION')

    const { pending } = await listTeacherRequests(admin, liling.id)
    const request = pending.find((r) => r.user.phone === '13900000031')!
    // Another county's admin, and a teacher, may not decide it.
    const other = await actorByPhone(PHONES.changshaAdmin)
    expect(await outcomeOf(decideTeacherRequest(other, { requestId: request.id, approve: true }))).toBe('FORBIDDEN')
    expect(await outcomeOf(listTeacherRequests(await actorByPhone(PHONES.lilingTeacher), liling.id))).toBe('FORBIDDEN')

    await decideTeacherRequest(admin, { requestId: request.id, approve: true })
    expect(await outcomeOf(decideTeacherRequest(admin, { requestId: request.id, approve: false }))).toBe('CONFLICT')
    const after = (await getActorForSession(session.sessionId))!
    expect(can(after, 'resource.upload', liling)).toBe(true)
    const grant = await prisma.auditLog.findFirstOrThrow({ where: { action: 'role.grant', targetId: member.id } })
    expect(grant.actorId).toBe(admin.userId)
    expect(grant.data).toMatchObject({ role: 'TEACHER', teacherRequestId: request.id })
  })

  it('a declined request grants nothing and is audited', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    const member = await registerWithCode({
      platformSlug: 'liling',
      identifier: '13900000041',
      password: 'Abc12345x',
      wantsTeacher: true,
    })
    const request = (await listTeacherRequests(admin, liling.id)).pending.find((r) => r.user.phone === '13900000041')!
    await decideTeacherRequest(admin, { requestId: request.id, approve: false })
    expect(await prisma.roleAssignment.count({ where: { userId: member.id, role: 'TEACHER' } })).toBe(0)
    expect(await prisma.auditLog.count({ where: { action: 'role.decline', targetId: member.id } })).toBe(1)
  })

  it('only admins of the platform (or above) set its registration mode', async () => {
    const liling = await platformBySlug('liling')
    expect(await outcomeOf(setRegistrationMode(await actorByPhone(PHONES.lilingTeacher), liling.id, 'OFF'))).toBe(
      'FORBIDDEN',
    )
    expect(await outcomeOf(setRegistrationMode(await actorByPhone(PHONES.changshaAdmin), liling.id, 'OFF'))).toBe(
      'FORBIDDEN',
    )
    expect(await outcomeOf(setRegistrationMode(await actorByPhone(PHONES.provinceAdmin), liling.id, 'BOGUS'))).toBe(
      'VALIDATION',
    )
    expect((await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })).registrationMode).toBe('MEMBERS')
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
