/**
 * Notifications by e-mail through a real SMTP conversation: nodemailer (the transport the app
 * uses with MESSAGE_TRANSPORT=smtp) talks to a local SMTP server started here, and the
 * `message.send` job runs through the real outbox and worker.
 */
import { vi } from 'vitest'

const PORT = vi.hoisted(() => {
  const port = 2600 + Number(process.env.VITEST_POOL_ID ?? 0) * 10 + Math.floor(Math.random() * 10)
  process.env.MESSAGE_TRANSPORT = 'smtp'
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  process.env.MAIL_FROM = '醴陵市教育资源平台 <noreply@liling.example.cn>'
  return port
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { prisma } from '~/lib/db.server.ts'
import { submitResource, decideReview } from '~/services/review/workflow.server.ts'
import { startWorkers } from '../../workers/runner.ts'
import { queue } from '../../workers/queue.ts'
import { actorByPhone, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'

type Mail = { from: string; to: string[]; raw: string }
const received: Mail[] = []
let server: SMTPServer
let workers: ReturnType<typeof startWorkers>

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (c: string) => (raw += c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', () => resolve()))
  await seedDemo()
  workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
})
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await new Promise<void>((r) => server.close(() => r()))
})

describe('e-mail through SMTP', () => {
  it('sends the decision to the uploader, in Chinese, from the configured sender', async () => {
    const liling = await platformBySlug('liling')
    const owner = await actorByPhone(PHONES.lilingTeacher)
    const r = await prisma.resource.create({
      data: {
        platformId: liling.id,
        ownerId: owner.userId,
        title: '邮件通知样例',
        description: '测试邮件通知的课件样例，含课堂练习。',
        resourceType: 'COURSEWARE',
        kind: 'DOCUMENT',
        curriculum: { create: [{ nodeId: 'jh.math.pep.8b.c2.s1' }] },
      },
    })
    await prisma.resourceFile.create({
      data: {
        resourceId: r.id,
        platformId: liling.id,
        role: 'PRIMARY',
        status: 'READY',
        originalName: 'a.pdf',
        size: 1n,
        kind: 'DOCUMENT',
      },
    })
    const { reviewId } = await submitResource(owner, r.id)
    await decideReview(await actorByPhone(PHONES.lilingReviewer), reviewId!, {
      outcome: 'REJECTED',
      reasons: ['COPYRIGHT'],
    })
    const deadline = Date.now() + 20_000
    const decided = () =>
      received.find((m) => m.to.includes('chenxm@liling.demo') && decodeSubject(m.raw) === '审核结论：邮件通知样例')
    while (!decided() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100))
    const mail = decided()
    expect(mail, JSON.stringify(received.map((m) => decodeSubject(m.raw)))).toBeDefined()
    expect(mail!.from).toBe('noreply@liling.example.cn')
    expect(decodeBody(mail!.raw)).toContain('「邮件通知样例」的审核结论：未通过')
    expect(decodeBody(mail!.raw)).toContain(`/p/liling/r/${r.id}`)
  })
})

/** The Subject header, decoded from its RFC 2047 encoded words. */
function decodeSubject(raw: string) {
  const m = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)
  if (!m) return ''
  return m[1]!
    .replace(/\r?\n[ \t]/g, '')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    )
}

/** The text body, whatever transfer encoding nodemailer chose. */
function decodeBody(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/)
  const body = rest.join('\n\n')
  if (/Content-Transfer-Encoding: base64/i.test(head!))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head!))
    return Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8')
  return body
}
