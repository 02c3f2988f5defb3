/**
 * Serves derivatives (HLS playlists and segments, page images, storyboards, subtitles) to
 * browsers under /media/<token>/<path>. The token (storage/media-token.ts) signs the file's
 * derivative prefix and an expiry; each request is checked against it and against the file
 * still being live, so a withdrawn file stops playing within the cache's few seconds even
 * while older tokens have time left. Byte ranges are honoured (seeking, resumable downloads).
 */
import type { Request, Response } from 'express'
import { prisma } from '../lib/db.server.ts'
import { env } from '../lib/env.server.ts'
import { logger } from '../lib/logger.server.ts'
import { ttlCache } from '../lib/ttl-cache.server.ts'
import { storage } from '../../storage/index.ts'
import { contentTypeFor, isValidKey } from '../../storage/keys.ts'
import { verifyMediaToken } from '../../storage/media-token.ts'
import { sendText } from './plain-text.ts'

const liveCache = ttlCache<string, boolean>(5_000)

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

export async function serveMedia(req: Request, res: Response) {
  const [, , token, ...rest] = req.path.split('/')
  const prefix = token ? verifyMediaToken(env().SESSION_SECRET, token) : null
  const rel = rest.map((s) => decodeURIComponent(s)).join('/')
  const key = prefix ? prefix + rel : ''
  const fileId = prefix?.split('/')[3]
  if (!prefix || !rel || !isValidKey(key) || !fileId || !(await isLive(fileId))) {
    sendText(req, res, 403, 'http.linkExpired')
    return
  }
  try {
    const info = await storage.stat(key)
    if (!info) {
      sendText(req, res, 404, 'http.fileMissing')
      return
    }
    const range = parseRange(req.get('range'), info.size)
    if (range === 'invalid') {
      res.status(416).setHeader('Content-Range', `bytes */${info.size}`).end()
      return
    }
    res.setHeader('Content-Type', contentTypeFor(key))
    res.setHeader('Accept-Ranges', 'bytes')
    // Private: the URL is a capability for one viewer; short so a withdrawal takes effect.
    res.setHeader('Cache-Control', 'private, max-age=60')
    if (range) {
      res.status(206)
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`)
      res.setHeader('Content-Length', String(range.end - range.start + 1))
    } else {
      res.setHeader('Content-Length', String(info.size))
    }
    if (req.method === 'HEAD') return void res.end()
    const body = await storage.get(key, range ?? undefined)
    body.on('error', (err) => {
      logger.warn({ err, key }, 'media stream failed')
      res.destroy(err)
    })
    body.pipe(res)
  } catch (err) {
    logger.error({ err, key }, 'media request failed')
    if (!res.headersSent) sendText(req, res, 500, 'http.serverError')
  }
}
