/**
 * One-time codes sent to a phone or e-mail (ADR 0015): six random digits, of which only an HMAC
 * keyed with SESSION_SECRET is stored (six digits hashed without a key would be read back from a
 * leaked table in a second), ten minutes to live, five attempts, and a new code voids the older
 * ones. Sending is throttled per identifier and per IP; all counts are atomic.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { prisma, type Tx, type VerificationPurpose } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { rateLimited } from '~/lib/errors.ts'
import { limiter, take } from './rate-limit.server.ts'

export const CODE_TTL_MINUTES = 10
export const CODE_MAX_ATTEMPTS = 5
const SEND_LIMITS = {
  /** Codes (or notices) sent to one phone or address per hour, and the shortest gap between two. */
  perIdentifier: { points: 5, duration: 3600 },
  gap: { points: 1, duration: 60 },
  /** Codes requested from one IP per hour, whatever the identifier. */
  perIp: { points: 20, duration: 3600 },
}

function codeHash(purpose: VerificationPurpose, identifier: string, code: string) {
  return createHmac('sha256', env().SESSION_SECRET).update(`otp:${purpose}:${identifier}:${code}`).digest('hex')
}

/** Refuses (RATE_LIMITED) a code request over the limits; counts it otherwise. Applied alike
 * whether or not an account exists, so the refusal says nothing about that either. */
export async function throttleCodeRequest(purpose: VerificationPurpose, identifier: string, ip: string) {
  const key = `${purpose}:${identifier}`
  for (const [name, spec, k] of [
    ['otp-ip', SEND_LIMITS.perIp, ip],
    ['otp-gap', SEND_LIMITS.gap, key],
    ['otp-id', SEND_LIMITS.perIdentifier, key],
  ] as const) {
    const r = await take(limiter(name, spec), k)
    if (!r.ok) throw rateLimited(r.retryAfterSeconds)
  }
}

/** Writes a new code (voiding the older live ones for the same purpose and identifier) and
 * returns it with the row's id, for the caller to send in the same transaction. */
export async function issueCode(tx: Tx, purpose: VerificationPurpose, identifier: string, ip?: string) {
  const now = new Date()
  await tx.verificationCode.updateMany({ where: { purpose, identifier, usedAt: null }, data: { usedAt: now } })
  // Keep the table small: codes a day past their expiry serve nobody.
  await tx.verificationCode.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600 * 1000) } } })
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const row = await tx.verificationCode.create({
    select: { id: true },
    data: {
      purpose,
      identifier,
      codeHash: codeHash(purpose, identifier, code),
      expiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60 * 1000),
      ip: ip ?? null,
    },
  })
  return { code, id: row.id }
}

/**
 * Spends one attempt on the newest live code for the identifier and says whether `code` is it:
 * its id when right, else null. The attempt is counted with a conditional update, so parallel
 * guesses cannot take more than CODE_MAX_ATTEMPTS between them. The caller then `claimCode`s it
 * in the transaction that does what the code allows.
 */
export async function checkCode(purpose: VerificationPurpose, identifier: string, code: string) {
  if (!/^\d{6}$/.test(code)) return null
  const now = new Date()
  const live = await prisma.verificationCode.findFirst({
    where: { purpose, identifier, usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  })
  if (!live) return null
  const spent = await prisma.verificationCode.updateManyAndReturn({
    where: { id: live.id, usedAt: null, expiresAt: { gt: now }, attempts: { lt: CODE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
    select: { codeHash: true },
  })
  const stored = spent[0]?.codeHash
  if (!stored) return null
  const given = Buffer.from(codeHash(purpose, identifier, code), 'hex')
  const expected = Buffer.from(stored, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected) ? live.id : null
}

/** Uses a checked code once: of two requests with the same right code, only one gets true. */
export async function claimCode(tx: Tx, codeId: string) {
  const { count } = await tx.verificationCode.updateMany({
    where: { id: codeId, usedAt: null },
    data: { usedAt: new Date() },
  })
  return count === 1
}
