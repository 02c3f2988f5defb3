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
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'

let workers: ReturnType<typeof startWorkers>
beforeAll(async () => {
  await seedDemo()
  workers = startWorkers({ concurrency: 1, dispatchEveryMs: 100 })
})
afterAll(async () => {
  await workers.stop()
  await queue.close()
})

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

  it('says nothing about unknown accounts and sends nothing', async () => {
    const n = memoryOutbox.length
    await requestPasswordReset({ identifier: '13999999999' })
    await new Promise((r) => setTimeout(r, 300))
    expect(memoryOutbox.length).toBe(n)
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
