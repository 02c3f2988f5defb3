/**
 * Signed, expiring URLs for a whole set of derivatives (an HLS ladder, a document's page
 * images, a storyboard): /media/<token>/<path inside the set>. One signature covers the
 * prefix, so playlists can keep relative segment URLs, and every request is checked again
 * (expiry, signature, and — through `isLive` — that the file may still be shown).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

type Claims = { p: string; e: number }

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`media:${body}`).digest('base64url')

export function signMediaPrefix(secret: string, prefix: string, expiresInSeconds: number, now = Date.now()) {
  if (!prefix.startsWith('derived/') || !prefix.endsWith('/'))
    throw new Error('media tokens cover derivative prefixes only')
  const body = Buffer.from(
    JSON.stringify({ p: prefix, e: Math.floor(now / 1000) + expiresInSeconds } satisfies Claims),
  ).toString('base64url')
  return `${body}.${mac(secret, body)}`
}

/** The prefix a token grants, or null when it is forged or expired. */
export function verifyMediaToken(secret: string, token: string, now = Date.now()): string | null {
  const [body, sig] = token.split('.')
  if (!body || !sig) return null
  const expected = Buffer.from(mac(secret, body))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims
    if (typeof c.p !== 'string' || typeof c.e !== 'number' || c.e * 1000 < now) return null
    return c.p
  } catch {
    return null
  }
}
