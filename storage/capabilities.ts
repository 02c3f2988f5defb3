/**
 * Capability tokens: signed, expiring grants, each naming exactly what it opens (ADR 0014).
 * This module owns every kind of token a browser is handed for stored objects, and the rules
 * that say which object keys a token of each kind reaches:
 *
 *  - `thumb`     one object key (a poster, a document's first page, an image's smallest size,
 *                or a resource's cover card). Public: a search result's picture. It opens that
 *                one key and nothing beside it.
 *  - `media`     the derivatives of ONE file for ONE purpose, `full` (the player or page viewer
 *                of someone entitled to the content) or `preview` (the first 60 s of a video or
 *                audio, the first 3 pages of a document, an image's smallest size), bound either
 *                to the public (free, published material) or to the viewer's session.
 *  - `download`  one original with its download name (local-disk driver's /files route).
 *
 * A token of one kind is refused where another is expected: the kind is inside the signed body
 * and in the MAC's domain separation. The signature proves what was granted and until when;
 * whether it still holds (takedown, a role revoked, a session ended, a refund) is checked on
 * every request by the web layer (app/server/media.ts) against short caches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { PREVIEW_IMAGE_WIDTH, PREVIEW_PAGES, PREVIEW_SECONDS } from '../app/lib/preview.ts'
import { parseCoverKey } from './keys.ts'

export type MediaKindCode = 'VIDEO' | 'AUDIO' | 'DOCUMENT' | 'IMAGE' | 'SUBTITLE'
export type MediaScope = 'full' | 'preview'
/** `public`: anyone holding the link while the material is free and published; `session`: the
 * viewer whose session's tag (a keyed hash, never the session id itself) is `h`. */
export type Binding = { t: 'public' } | { t: 'session'; h: string; u: string }

export type ThumbClaims = { k: 'thumb'; key: string; e: number }
export type MediaClaims = {
  k: 'media'
  /** platform, resource and file: together they name the file's derivative folder. */
  p: string
  r: string
  f: string
  m: MediaKindCode
  s: MediaScope
  b: Binding
  /** Duration in seconds (audio previews are cut by bytes in proportion). */
  d?: number
  e: number
}
export type DownloadClaims = { k: 'download'; key: string; n: string; e: number }
type Claims = ThumbClaims | MediaClaims | DownloadClaims
type Kind = Claims['k']

export { PREVIEW_IMAGE_WIDTH, PREVIEW_PAGES, PREVIEW_SECONDS } from '../app/lib/preview.ts'

const mac = (secret: string, kind: Kind, body: string) =>
  createHmac('sha256', secret).update(`capability:${kind}:${body}`).digest('base64url')

function sign(secret: string, claims: Claims) {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${body}.${mac(secret, claims.k, body)}`
}

const expiry = (ttlSeconds: number, now: number) => Math.floor(now / 1000) + ttlSeconds

function verify<K extends Kind>(secret: string, kind: K, token: string, now: number): Extract<Claims, { k: K }> | null {
  if (typeof token !== 'string' || token.length > 2048) return null
  const [body, sig, extra] = token.split('.')
  if (!body || !sig || extra !== undefined) return null
  const expected = Buffer.from(mac(secret, kind, body))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims
    if (c.k !== kind || typeof c.e !== 'number' || c.e * 1000 < now) return null
    return c as Extract<Claims, { k: K }>
  } catch {
    return null
  }
}

// ── thumb ────────────────────────────────────────────────────────────────────────────────────

/** Whether a thumb token may name this key: one poster, first page or image size of a file, or
 * one cover card of a resource (storage/keys.ts), never a folder or anything beside them. */
export function isThumbKey(key: string) {
  return (
    /^derived\/[a-z0-9]{8,40}\/[a-z0-9]{8,40}\/[a-z0-9]{8,40}\/(poster|pages|image)\/[^/]+$/i.test(key) ||
    parseCoverKey(key) !== null
  )
}

export function signThumb(secret: string, key: string, ttlSeconds: number, now = Date.now()) {
  if (!isThumbKey(key)) throw new Error('thumb tokens cover one poster, first page, image size or cover card')
  return sign(secret, { k: 'thumb', key, e: expiry(ttlSeconds, now) })
}

export function verifyThumb(secret: string, token: string, now = Date.now()) {
  return verify(secret, 'thumb', token, now)
}

// ── media ────────────────────────────────────────────────────────────────────────────────────

export function signMedia(secret: string, claims: Omit<MediaClaims, 'k' | 'e'>, ttlSeconds: number, now = Date.now()) {
  for (const id of [claims.p, claims.r, claims.f])
    if (!/^[a-z0-9]{8,40}$/i.test(id)) throw new Error('unsafe id in media token')
  return sign(secret, { k: 'media', ...claims, e: expiry(ttlSeconds, now) })
}

export function verifyMedia(secret: string, token: string, now = Date.now()) {
  return verify(secret, 'media', token, now)
}

/** The derivative folder a media token's paths are relative to. */
export const mediaPrefix = (c: MediaClaims) => `derived/${c.p}/${c.r}/${c.f}/`

/** Outputs a player or viewer of each kind needs. The converted PDF and the extracted text are
 * never served through /media: they exist for indexing and for watermarked downloads. */
const FULL_OUTPUTS: Record<MediaKindCode, string[]> = {
  VIDEO: ['hls', 'storyboard', 'mp4', 'poster'],
  AUDIO: ['audio', 'waveform'],
  DOCUMENT: ['pages'],
  IMAGE: ['image'],
  SUBTITLE: ['subtitle'],
}

/**
 * What a media token allows at a path inside its file's derivative folder:
 *  - `serve`: the object as stored;
 *  - `playlist`: an HLS playlist, served cut at PREVIEW_SECONDS for a preview;
 *  - `segment`: an HLS segment, served only if a preview's cut playlist lists it;
 *  - `bytes`: an audio file, served only up to the share of bytes a preview covers;
 *  - `refuse`: nothing.
 */
export type MediaAccess =
  | { kind: 'serve' }
  | { kind: 'playlist'; cut: boolean }
  | { kind: 'segment'; playlist: string; file: string }
  | { kind: 'bytes'; share: number }
  | { kind: 'refuse' }

const SEGMENT = /^(seg_\d{4,6}\.ts)$/
const RUNG = /^\d{3,4}p$/

export function mediaAccess(c: MediaClaims, rel: string): MediaAccess {
  const parts = rel.split('/')
  if (!rel || parts.some((p) => !/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,120}$/.test(p) || p.includes('..')))
    return { kind: 'refuse' }
  const [output] = parts
  if (!output || !FULL_OUTPUTS[c.m]?.includes(output)) return { kind: 'refuse' }
  const isPlaylist = rel.endsWith('.m3u8')
  if (c.s === 'full') return isPlaylist ? { kind: 'playlist', cut: false } : { kind: 'serve' }

  // Preview.
  switch (c.m) {
    case 'VIDEO': {
      if (output === 'poster') return { kind: 'serve' }
      if (output !== 'hls') return { kind: 'refuse' }
      if (rel === 'hls/master.m3u8') return { kind: 'playlist', cut: false }
      if (parts.length === 3 && RUNG.test(parts[1]!) && parts[2] === 'index.m3u8')
        return { kind: 'playlist', cut: true }
      if (parts.length === 3 && RUNG.test(parts[1]!) && SEGMENT.test(parts[2]!))
        return { kind: 'segment', playlist: `hls/${parts[1]}/index.m3u8`, file: parts[2]! }
      return { kind: 'refuse' }
    }
    case 'AUDIO':
      if (output === 'waveform') return { kind: 'serve' }
      if (!c.d || c.d <= 0) return { kind: 'refuse' }
      return { kind: 'bytes', share: Math.min(1, PREVIEW_SECONDS / c.d) }
    case 'DOCUMENT': {
      const m = /^pages\/p-(\d{4})\.webp$/.exec(rel)
      return m && Number(m[1]) >= 1 && Number(m[1]) <= PREVIEW_PAGES ? { kind: 'serve' } : { kind: 'refuse' }
    }
    case 'IMAGE': {
      const m = /^image\/w(\d{2,5})\.webp$/.exec(rel)
      return m && Number(m[1]) <= PREVIEW_IMAGE_WIDTH ? { kind: 'serve' } : { kind: 'refuse' }
    }
    default:
      return { kind: 'refuse' }
  }
}

/**
 * An HLS media playlist cut after the segments that start within the preview, closed with
 * #EXT-X-ENDLIST so players stop there. Returns the playlist and the segment names it lists.
 */
export function cutPlaylist(playlist: string, seconds = PREVIEW_SECONDS) {
  const out: string[] = []
  const segments = new Set<string>()
  let t = 0
  let pendingDuration: number | null = null
  let pendingTags: string[] = []
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    if (line === '#EXT-X-ENDLIST') continue
    if (line.startsWith('#EXTINF:')) {
      pendingDuration = Number.parseFloat(line.slice(8))
      pendingTags.push(line)
      continue
    }
    if (line.startsWith('#')) {
      if (pendingDuration === null) out.push(line)
      else pendingTags.push(line)
      continue
    }
    // A segment URI.
    if (pendingDuration === null || !Number.isFinite(pendingDuration)) break
    if (t >= seconds) break
    out.push(...pendingTags, line)
    segments.add(line)
    t += pendingDuration
    pendingDuration = null
    pendingTags = []
  }
  out.push('#EXT-X-ENDLIST')
  return { playlist: out.join('\n') + '\n', segments, seconds: t }
}

// ── download ─────────────────────────────────────────────────────────────────────────────────

export function signDownload(secret: string, key: string, downloadName: string, ttlSeconds: number, now = Date.now()) {
  return sign(secret, { k: 'download', key, n: downloadName, e: expiry(ttlSeconds, now) })
}

export function verifyDownload(secret: string, token: string, now = Date.now()) {
  return verify(secret, 'download', token, now)
}

/** A keyed tag of a session id: what a session-bound token carries instead of the id itself,
 * so that a leaked media link never leaks the session. */
export function sessionTag(secret: string, sessionId: string) {
  return createHmac('sha256', secret).update(`session-tag:${sessionId}`).digest('base64url').slice(0, 22)
}
