import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { requestPasswordReset, resetPassword } from '~/services/auth/password-reset.server.ts'
import { getActorForSession } from '~/services/auth/sessions.server.ts'
import { signIn } from '~/services/auth/sign-in.server.ts'
import { dispatchOutbox, enqueueJob } from '~/services/jobs/outbox.server.ts'
import { memoryOutbox } from '~/services/messages/send-message.server.ts'
import { addJob, queue } from '../../workers/queue.ts'
import { startWorkers } from '../../workers/runner.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'

let workers: ReturnType<typeof startWorkers>
let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  workers = startWorkers({ concurrency: 1, dispatchEveryMs: 100 })
  server = await startTestServer()
})
afterAll(async () => {
  await server?.close()
  await workers.stop()
  await queue.close()
})

/** What a visitor learns from a response, with what differs between any two requests taken
 * out: the identifier asked about, the CSP nonce, the date and request id. */
async function answer(res: Response, identifier: string) {
  const body = (await res.text()).replaceAll(identifier, '<identifier>').replace(/nonce="[^"]*"/g, 'nonce=""')
  const headers = [...res.headers]
    .filter(([h]) => !['date', 'x-request-id', 'content-length', 'content-security-policy'].includes(h))
    .map(([h, v]) => `${h}: ${v}`)
    .sort()
  return { status: res.status, headers, body }
}

async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('password reset by a one-time link, through the outbox and the real queue', () => {
  it('sends the link, resets once, signs out every session, and refuses the link a second time', async () => {
    const before = await signIn({ identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD, ip: '127.0.0.2' })
    await requestPasswordReset({ identifier: 'chenxm@liling.demo', ip: '127.0.0.2' })
    const msg = await waitFor(() => memoryOutbox.find((m) => m.to === 'chenxm@liling.demo'))
    expect(msg.channel).toBe('email')
    expect(msg.subject).toContain('重置密码')
    const token = /token=([\w-]+)/.exec(msg.body)![1]!
    expect(await prisma.passwordResetToken.count({ where: { tokenHash: token } })).toBe(0) // only its hash is stored

    await resetPassword({ token, newPassword: 'Liling2026new', confirmPassword: 'Liling2026new' })
    expect(await getActorForSession(before.sessionId)).toBeNull()
    await expect(
      signIn({ identifier: PHONES.lilingTeacher, password: 'Liling2026new', ip: '127.0.0.3' }),
    ).resolves.toHaveProperty('sessionId')

    const again = await resetPassword({ token, newPassword: 'Another2026x', confirmPassword: 'Another2026x' }).catch(
      (e) => e,
    )
    expect(isAppError(again) && again.messageKey).toBe('auth.reset.invalidToken')
  })

  it('answers a known and an unknown account alike (status, page, headers) and sends to the known one only', async () => {
    const b = new Browser(server.base, { 'x-forwarded-for': '198.51.100.90' })
    const token = await b.csrfToken('/p/liling/forgot-password')
    const unknownPhone = '13999999999'
    const known = await b.post('/p/liling/forgot-password', { _csrf: token, identifier: PHONES.lilingTeacher2 })
    const unknown = await b.post('/p/liling/forgot-password', { _csrf: token, identifier: unknownPhone })
    const [a, u] = [await answer(known, PHONES.lilingTeacher2), await answer(unknown, unknownPhone)]
    expect(a.status).toBe(200)
    expect(a.body).toContain('如果该账号存在，重置链接已发送')
    expect(u).toEqual(a)

    // Only the known account is sent a link, and only it has a token and an audit entry.
    const msg = await waitFor(() => memoryOutbox.find((m) => m.to === PHONES.lilingTeacher2))
    expect(msg.body).toContain('/p/liling/reset-password?token=')
    await new Promise((r) => setTimeout(r, 300))
    expect(memoryOutbox.filter((m) => m.to === unknownPhone)).toHaveLength(0)
    const requests = await prisma.auditLog.findMany({ where: { action: 'auth.password_reset_request' } })
    expect(requests.some((r) => r.ip === '198.51.100.90')).toBe(true)
    expect(await prisma.jobOutbox.count({ where: { payload: { path: ['to'], equals: unknownPhone } } })).toBe(0)
  })
})

describe('the job outbox', () => {
  it('dispatching the same rows twice queues each job once', async () => {
    await prisma.$transaction((tx) =>
      enqueueJob(tx, 'message.send', { channel: 'sms', to: '13800000099', subject: '测试', body: '一次' }, 'dup-test'),
    )
    const seen: string[] = []
    const add = async (name: Parameters<typeof addJob>[0], payload: unknown, jobId: string) => {
      seen.push(jobId)
      return addJob(name, payload, jobId)
    }
    await dispatchOutbox(add)
    // Simulate a crash after enqueue but before the row was marked: un-mark it and dispatch again.
    await prisma.jobOutbox.updateMany({ where: { jobId: 'message.send.dup-test' }, data: { dispatchedAt: null } })
    await dispatchOutbox(add)
    await waitFor(() => memoryOutbox.find((m) => m.body === '一次'))
    await new Promise((r) => setTimeout(r, 500))
    expect(memoryOutbox.filter((m) => m.body === '一次')).toHaveLength(1)
  })

  it("refuses a payload that does not match the job's schema", async () => {
    await expect(
      prisma.$transaction((tx) =>
        enqueueJob(tx, 'message.send', { channel: 'fax' as never, to: 'x', subject: '', body: '' }, 'bad'),
      ),
    ).rejects.toThrow()
    expect(await prisma.jobOutbox.count({ where: { jobId: 'message.send.bad' } })).toBe(0)
  })
})
