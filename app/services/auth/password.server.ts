/**
 * Password hashing with scrypt (memory-hard, in Node's standard library: no native addon).
 * Stored form: scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>, so parameters can grow later
 * and old hashes still verify.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { validation } from '~/lib/errors.ts'

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
  )

const LOG_N = 15 // N = 32768, r = 8: 32 MiB per hash
const R = 8
const P = 1
const KEYLEN = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scrypt(password.normalize('NFKC'), salt, KEYLEN, {
    N: 2 ** LOG_N,
    r: R,
    p: P,
    maxmem: 96 * 1024 * 1024,
  })
  return ['scrypt', LOG_N, R, P, salt.toString('base64'), hash.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, saltB64, hashB64] = stored.split('$')
  if (scheme !== 'scrypt' || !logN || !r || !p || !saltB64 || !hashB64) return false
  const expected = Buffer.from(hashB64, 'base64')
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
    maxmem: 96 * 1024 * 1024,
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A hash of a random password: verifying against it costs the same as a real one, so a
 * sign-in for an unknown account takes as long as a wrong password (no account probing). */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash() {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return dummyHash
}

export function checkPasswordPolicy(password: string, field = 'password') {
  if (password.length < 8) throw validation({ [field]: 'validation.passwordTooShort' })
  if (password.length > 128) throw validation({ [field]: 'validation.passwordTooLong' })
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) throw validation({ [field]: 'validation.passwordWeak' })
}
