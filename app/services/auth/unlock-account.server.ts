/**
 * Lifting a sign-in lock (ADR 0015). A lock holds one account on one IP (sign-in-throttle.server.ts);
 * the owner, on that network, asks for a code sent to the account's phone or e-mail, enters it,
 * and the lock of that account from that IP is lifted. The request answers the same whether or
 * not the account exists.
 */
import { prisma, UserStatus, VerificationPurpose } from '~/lib/db.server.ts'
import { AppError, validation } from '~/lib/errors.ts'
import { translator, type Locale } from '~/lib/i18n/index.ts'
import { enqueueJob } from '../jobs/outbox.server.ts'
import { writeAudit } from '../audit.server.ts'
import { identifierWhere, parseIdentifier, type Identifier } from './identifier.server.ts'
import { clearSignInPair, throttleAccount } from './sign-in-throttle.server.ts'
import { checkCode, claimCode, CODE_TTL_MINUTES, issueCode, throttleCodeRequest } from './verification-code.server.ts'

type Meta = { ip: string; requestId?: string }

function parse(raw: string): Identifier {
  const id = parseIdentifier(raw)
  if (!id) throw validation({ identifier: 'validation.identifier' })
  return id
}

/** Sends an unlock code to the account's phone or e-mail, if there is such an account. */
export async function requestUnlockCode(input: { identifier: string } & Meta) {
  const id = parse(input.identifier)
  await throttleCodeRequest(VerificationPurpose.UNLOCK, id.value, input.ip)
  const user = await prisma.user.findUnique({
    where: identifierWhere(id),
    select: { id: true, status: true, locale: true, homePlatformId: true },
  })
  if (!user || user.status !== UserStatus.ACTIVE) return
  const t = translator((user.locale === 'en' ? 'en' : 'zh-CN') as Locale)
  await prisma.$transaction(async (tx) => {
    const { code, id: codeId } = await issueCode(tx, VerificationPurpose.UNLOCK, id.value, input.ip)
    await enqueueJob(
      tx,
      'message.send',
      {
        channel: id.kind === 'phone' ? 'sms' : 'email',
        to: id.value,
        subject: t('auth.unlock.message.subject'),
        body: t('auth.unlock.message.body', { code, minutes: CODE_TTL_MINUTES }),
      },
      `otp:${codeId}`,
    )
    await writeAudit(
      {
        action: 'auth.unlock_request',
        actorId: user.id,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
  })
}

/** Lifts the lock of the account from the IP the code is entered from. */
export async function unlockWithCode(input: { identifier: string; code: string } & Meta) {
  const id = parse(input.identifier)
  const invalid = () => new AppError('VALIDATION', 'auth.code.invalid', { code: 'auth.code.invalid' })
  const codeId = await checkCode(VerificationPurpose.UNLOCK, id.value, input.code.trim())
  if (!codeId) throw invalid()
  const user = await prisma.user.findUnique({ where: identifierWhere(id), select: { id: true, homePlatformId: true } })
  if (!user) throw invalid()
  await prisma.$transaction(async (tx) => {
    if (!(await claimCode(tx, codeId))) throw invalid()
    await writeAudit(
      {
        action: 'auth.unlock',
        actorId: user.id,
        platformId: user.homePlatformId,
        ip: input.ip,
        requestId: input.requestId,
      },
      tx,
    )
  })
  await clearSignInPair(throttleAccount(user, `${id.kind}:${id.value}`), input.ip)
}
