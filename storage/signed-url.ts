/** HMAC-signed URLs for the local-disk driver, served by the app's /files route. */
import { createHmac, timingSafeEqual } from 'node:crypto'

const sig = (secret: string, key: string, exp: number, name: string) =>
  createHmac('sha256', secret).update(`files:${key}:${exp}:${name}`).digest('base64url')

export function signLocalUrl(appUrl: string, secret: string, key: string, expiresInSeconds: number, downloadName = '') {
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds
  const q = new URLSearchParams({ exp: String(exp), sig: sig(secret, key, exp, downloadName) })
  if (downloadName) q.set('name', downloadName)
  return `${appUrl.replace(/\/$/, '')}/files/${key.split('/').map(encodeURIComponent).join('/')}?${q}`
}

/** Checks a /files request; returns the key when the signature is good and not expired. */
export function verifyLocalUrl(
  secret: string,
  key: string,
  query: { exp?: unknown; sig?: unknown; name?: unknown },
  now = Date.now(),
) {
  const exp = Number(query.exp)
  const given = typeof query.sig === 'string' ? query.sig : ''
  const name = typeof query.name === 'string' ? query.name : ''
  if (!Number.isFinite(exp) || exp * 1000 < now) return false
  const expected = Buffer.from(sig(secret, key, exp, name))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
