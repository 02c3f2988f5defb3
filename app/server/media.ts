/**
 * The three routes that hand stored objects to browsers, each behind its own kind of
 * capability token (storage/capabilities.ts, ADR 0014):
 *   /media/<token>/<path>    a file's derivatives for one purpose (player, page viewer, preview)
 *   /thumbs/<token>/<name>   one result card's picture
 *   /files/<token>/<name>    one original, as a download (local-disk driver; S3 presigns its own)
 * Every request is checked again: the signature and expiry, the path against what the token
 * names, the file still live (not withdrawn), and for /media the grant still holding (the
 * viewer's session and entitlement, or the material still free and published). Byte ranges
 * are honoured (seeking, resumable downloads).
 */
import type { Request, Response } from 'express'
import { prisma } from '../lib/db.server.ts'
import { env } from '../lib/env.server.ts'
import { logger } from '../lib/logger.server.ts'
import { ttlCache } from '../lib/ttl-cache.server.ts'
import { sessionCookie } from '../lib/session.server.ts'
import type { MessageKey } from '../lib/i18n/index.ts'
import { mediaGrantHolds } from '../services/resources/media-grants.server.ts'
import { storage } from '../../storage/index.ts'
import { contentTypeFor, isValidKey, parseCoverKey, parseOriginalKey } from '../../storage/keys.ts'
import {
  cutPlaylist,
  mediaAccess,
  mediaPrefix,
  verifyDownload,
  verifyMedia,
  verifyThumb,
} from '../../storage/capabilities.ts'
import { sendText } from './plain-text.ts'

const liveCache = ttlCache<string, boolean>(5_000, 20_000)

/** A file's derivatives may be shown while the file and its resource exist and are not withdrawn. */
export function isLive(fileId: string) {
  return liveCache.get(fileId, async () => {
    const f = await prisma.resourceFile.findUnique({
      where: { id: fileId },
      select: { status: true, resource: { select: { status: true } } },
    })
    // A taken-down resource's links stop working within this cache's lifetime (seconds).
    return !!f && f.status === 'READY' && f.resource.status !== 'DELETED' && f.resource.status !== 'TAKEN_DOWN'
  })
}

const publishedCache = ttlCache<string, boolean>(5_000, 20_000)

/** A resource's cover card may be shown while the resource is published (like its search card). */
function isPublished(resourceId: string) {
  return publishedCache.get(resourceId, async () => {
    const r = await prisma.resource.findUnique({ where: { id: resourceId }, select: { status: true } })
    return r?.status === 'PUBLISHED'
  })
}

/** Cut preview playlists, by object key (they change only when a file is reprocessed). */
const previewPlaylists = ttlCache<string, { playlist: string; segments: Set<string> } | null>(60_000, 5_000)

function previewPlaylist(key: string) {
  return previewPlaylists.get(key, async () => {
    const info = await storage.stat(key)
    if (!info || info.size > 2_000_000) return null
    const chunks: Buffer[] = []
    for await (const c of await storage.get(key)) chunks.push(c as Buffer)
    const { playlist, segments } = cutPlaylist(Buffer.concat(chunks).toString('utf8'))
    return { playlist, segments }
  })
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid'
  let start: number, end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start > end || start >= size) return 'invalid'
  return { start, end }
}

const refuse = (req: Request, res: Response, key: MessageKey = 'http.linkExpired') => sendText(req, res, 403, key)

/** The path segments after the token, decoded once; null when any is unsafe. */
function tailOf(req: Request, skip: number) {
  const parts = req.path.split('/').slice(skip)
  try {
    const decoded = parts.map((s) => decodeURIComponent(s))
    if (decoded.some((s) => !s || s === '.' || s === '..' || /[\\\0/]/.test(s))) return null
    return decoded
  } catch {
    return null
  }
}

/**
 * Streams one stored object (with Range support). `maxBytes` caps what may be read (an audio
 * preview); `body` replaces the stored bytes (a cut playlist).
 */
async function sendObject(
  req: Request,
  res: Response,
  key: string,
  opts: { maxBytes?: number; body?: string; cacheControl: string; downloadName?: string },
) {
  try {
    if (opts.body !== undefined) {
      res.setHeader('Content-Type', contentTypeFor(key))
      res.setHeader('Cache-Control', opts.cacheControl)
      res.send(opts.body)
      return
    }
    const info = await storage.stat(key)
    if (!info) return sendText(req, res, 404, 'http.fileMissing')
    const size = opts.maxBytes !== undefined ? Math.min(info.size, opts.maxBytes) : info.size
    const range = parseRange(req.get('range'), size)
    if (range === 'invalid' || size <= 0) {
      res.status(416).setHeader('Content-Range', `bytes */${size}`).end()
      return
    }
    res.setHeader('Content-Type', opts.downloadName ? 'application/octet-stream' : contentTypeFor(key))
    res.setHeader('Accept-Ranges', 'bytes')
    res.setHeader('Cache-Control', opts.cacheControl)
    if (opts.downloadName)
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(opts.downloadName)}`)
    const span = range ?? { start: 0, end: size - 1 }
    if (range) {
      res.status(206)
      res.setHeader('Content-Range', `bytes ${span.start}-${span.end}/${size}`)
    }
    res.setHeader('Content-Length', String(span.end - span.start + 1))
    if (req.method === 'HEAD') return void res.end()
    const whole = !range && opts.maxBytes === undefined
    const body = await storage.get(key, whole ? undefined : span)
    body.on('error', (err) => {
      logger.warn({ err, key }, 'object stream failed')
      res.destroy(err)
    })
    body.pipe(res)
  } catch (err) {
    logger.error({ err, key }, 'object request failed')
    if (!res.headersSent) sendText(req, res, 500, 'http.serverError')
  }
}

/** Cookie headers already unsigned, for a few seconds: a player asks for a segment every few
 * seconds with the same cookie, and verifying its signature each time is most of a gated
 * request's extra cost. Whether the session still lives is checked by the grant, not here. */
const sessionIds = ttlCache<string, string | null>(5_000, 20_000)

function sessionIdOf(req: Request): Promise<string | null> {
  // Keyed by the session cookie's own (bounded) value, not the whole header a visitor may vary.
  const raw = /(?:^|;\s*)(?:__Host-)?erc_session=([^;]{1,600})/.exec(req.headers.cookie ?? '')?.[1]
  if (!raw) return Promise.resolve(null)
  return sessionIds.get(raw, async () => {
    const v = await sessionCookie().parse(`${sessionCookie().name}=${raw}`)
    return typeof v === 'string' && v.length > 20 ? v : null
  })
}

/** /media/<token>/<path inside the file's derivative folder> */
export async function serveMedia(req: Request, res: Response) {
  const token = req.path.split('/')[2] ?? ''
  const claims = verifyMedia(env().SESSION_SECRET, token)
  const tail = tailOf(req, 3)
  if (!claims || !tail) return refuse(req, res)
  const rel = tail.join('/')
  const access = mediaAccess(claims, rel)
  const key = mediaPrefix(claims) + rel
  if (access.kind === 'refuse' || !isValidKey(key)) return refuse(req, res, 'http.wrongLinkKind')
  // Only a link bound to a session needs the visitor's session.
  const sessionId = claims.b.t === 'session' ? await sessionIdOf(req) : null
  if (!(await isLive(claims.f)) || !(await mediaGrantHolds(claims, sessionId))) return refuse(req, res)
  // Private: the URL is a capability for one viewer; short, so that a withdrawal takes effect.
  const cacheControl = 'private, max-age=60'
  switch (access.kind) {
    case 'serve':
      return sendObject(req, res, key, { cacheControl })
    case 'playlist':
      if (!access.cut) return sendObject(req, res, key, { cacheControl })
      {
        const cut = await previewPlaylist(key)
        if (!cut) return sendText(req, res, 404, 'http.fileMissing')
        return sendObject(req, res, key, { cacheControl, body: cut.playlist })
      }
    case 'segment': {
      const cut = await previewPlaylist(mediaPrefix(claims) + access.playlist)
      if (!cut?.segments.has(access.file)) return refuse(req, res, 'http.previewOnly')
      return sendObject(req, res, key, { cacheControl })
    }
    case 'bytes': {
      const info = await storage.stat(key)
      if (!info) return sendText(req, res, 404, 'http.fileMissing')
      return sendObject(req, res, key, { cacheControl, maxBytes: Math.ceil(info.size * access.share) })
    }
  }
}

/** /thumbs/<token>/<file name>: the one object the token names. */
export async function serveThumb(req: Request, res: Response) {
  const token = req.path.split('/')[2] ?? ''
  const claims = verifyThumb(env().SESSION_SECRET, token)
  const tail = tailOf(req, 3)
  if (!claims || !tail || tail.length !== 1 || tail[0] !== claims.key.split('/').pop()) return refuse(req, res)
  // A cover card belongs to a resource; every other picture to one file of it.
  const cover = parseCoverKey(claims.key)
  const live = cover ? await isPublished(cover.resourceId) : await isLive(claims.key.split('/')[3] ?? '')
  if (!live) return refuse(req, res)
  return sendObject(req, res, claims.key, { cacheControl: 'private, max-age=300' })
}

/** /files/<token>/<download name>: one original, as an attachment (local-disk driver). */
export async function serveDownload(req: Request, res: Response) {
  const token = req.path.split('/')[2] ?? ''
  const claims = verifyDownload(env().SESSION_SECRET, token)
  const tail = tailOf(req, 3)
  // The name after the token is for the browser's address bar only: one plain segment, never a path.
  if (!claims || !tail || tail.length !== 1 || storage.kind !== 'local' || !isValidKey(claims.key))
    return refuse(req, res)
  // An original of a resource that was taken down (or deleted) stops downloading at once,
  // even through a link signed before.
  const original = parseOriginalKey(claims.key)
  if (original && !(await isLive(original.fileId))) return refuse(req, res)
  return sendObject(req, res, claims.key, { cacheControl: 'private, no-store', downloadName: claims.n || undefined })
}
