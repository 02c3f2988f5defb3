/**
 * The tus endpoint (resumable uploads), mounted beside the Remix app at /uploads.
 *
 *   browser ── POST /uploads (Upload-Metadata: fileId) ──▶ gate: signed in, may upload into the
 *              PATCH /uploads/<platform>.<resource>.<file>   resource (the rule that let the upload
 *                                                          start), still uploading, length matches
 *              HEAD  …                                     ▼
 *                                        IngestStore: sniffs the first bytes, hashes every byte
 *                                                     ▼
 *        FileStore (local disk) or S3Store (S3) writing the original's object key (tus-store.server.ts)
 *                                                     ▼ last byte
 *                                finishUpload(): duplicate check, then processing is queued
 *
 * Cross-site requests cannot reach it: every tus request carries a Tus-Resumable header, which a
 * foreign page can only send after a CORS preflight, and we answer none.
 */
import { createHash, type Hash } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from 'express'
import { Server, type DataStore } from '@tus/server'
import { logger } from '../lib/logger.server.ts'
import { isAppError, type AppError } from '../lib/errors.ts'
import { translator, DEFAULT_LOCALE } from '../lib/i18n/index.ts'
import { localeOf } from './plain-text.ts'
import { getLocale } from '../lib/locale.server.ts'
import { readSessionId } from '../lib/session.server.ts'
import { getActorForSession } from '../services/auth/sessions.server.ts'
import { authorizeTusRequest, acceptSniffed, finishUpload, rejectUpload } from '../services/uploads/tus-gate.server.ts'
import { sniff, SNIFF_BYTES } from '../services/media/sniff.server.ts'
import { maxAnyBytes } from '../services/media/limits.server.ts'
import { parseOriginalKey } from '../../storage/keys.ts'
import { storage } from '../../storage/index.ts'
import { createTusDataStore } from '../services/uploads/tus-store.server.ts'

export const TUS_PATH = '/uploads'

/** URL segment of an upload: its original key's ids joined by dots (keys contain slashes). */
const segmentFor = (key: string) => key.split('/').slice(1).join('.')
const keyForSegment = (segment: string) => {
  const parts = segment.split('.')
  return parts.length === 3 ? `originals/${parts.join('/')}` : null
}

// Running sha256 per upload in this process. A PATCH that continues where this process left
// off extends it; any gap (another web process took a chunk, a restart) drops it and the
// digest is computed from the stored object when the upload completes.
type HashState = { hash: Hash; offset: number; touched: number }
const hashes = new Map<string, HashState>()
setInterval(() => {
  const cutoff = Date.now() - 6 * 3600_000
  for (const [k, v] of hashes) if (v.touched < cutoff) hashes.delete(k)
}, 600_000).unref()

/** The object key the gate authorised for a Node request (read by the naming function). */
const authorisedKeys = new WeakMap<object, string>()

const tusError = (status: number, body: string) => Object.assign(new Error(body), { status_code: status, body })

function messageFor(e: AppError, locale = DEFAULT_LOCALE) {
  return translator(locale)(e.messageKey, e.params)
}

/** Wraps a tus DataStore: sniffs the first bytes and hashes every byte as it streams past. */
function ingestStore<T extends DataStore>(store: T): T {
  const write = store.write.bind(store)
  store.write = async (readable: Readable, id: string, offset: number) => {
    const ref = parseOriginalKey(id)
    if (!ref) throw tusError(404, 'not found')
    let state = hashes.get(id)
    if (offset === 0) state = { hash: createHash('sha256'), offset: 0, touched: Date.now() }
    else if (state && state.offset !== offset) state = undefined
    if (state) hashes.set(id, state)
    else hashes.delete(id)

    let head: Buffer[] | null = offset === 0 ? [] : null
    let headBytes = 0
    // A refusal ends the stream quietly (stores turn stream errors into generic ones, and an
    // errored stream inside @tus/s3-store escapes as an uncaught exception); we throw after.
    let refusal: unknown = null
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        if (refusal) return cb()
        state?.hash.update(chunk)
        if (state) state.offset += chunk.length
        if (!head) return cb(null, chunk)
        head.push(chunk)
        headBytes += chunk.length
        if (headBytes < SNIFF_BYTES) return cb()
        release(cb)
      },
      flush(cb) {
        if (!head || refusal) return cb()
        release(cb)
      },
    })
    const release = (cb: (err?: Error | null, data?: Buffer) => void) => {
      const held = Buffer.concat(head!)
      head = null
      acceptSniffed(ref.fileId, sniff(held)).then(
        () => cb(null, held),
        (e: unknown) => {
          refusal = e
          cb()
          readable.unpipe(tap)
          readable.resume()
          tap.end()
        },
      )
    }
    try {
      const n = await write(readable.pipe(tap), id, offset)
      if (refusal) throw refusal
      if (state) state.touched = Date.now()
      if (state && state.offset !== n) hashes.delete(id)
      return n
    } catch (err) {
      hashes.delete(id)
      const e = refusal ?? err
      if (isAppError(e)) {
        await rejectUpload(
          ref.fileId,
          e.messageKey === 'media.error.tooLarge' ? 'media.error.tooLargeKind' : e.messageKey,
          e.message,
        )
        await store.remove(id).catch(() => undefined)
        throw tusError(e.status, messageFor(e))
      }
      throw e
    }
  }
  return store
}

async function sha256Of(key: string) {
  const h = createHash('sha256')
  for await (const chunk of await storage.get(key)) h.update(chunk as Buffer)
  return h.digest('hex')
}

export function createTusServer() {
  const store = ingestStore(createTusDataStore())
  return new Server({
    path: TUS_PATH,
    datastore: store,
    maxSize: () => maxAnyBytes(),
    respectForwardedHeaders: false,
    relativeLocation: true,
    // The id is the original's object key; the gate has already checked the caller may upload it.
    namingFunction: (req) => {
      const node = (req as unknown as { runtime?: { node?: { req?: object } } }).runtime?.node?.req
      const key = node ? authorisedKeys.get(node) : undefined
      if (!key || !parseOriginalKey(key)) throw tusError(400, 'bad upload')
      return key
    },
    generateUrl: (_req, { path: base, id }) => `${base}/${segmentFor(id)}`,
    getFileIdFromRequest: (_req, lastPath) => (lastPath ? (keyForSegment(lastPath) ?? undefined) : undefined),
    // Internal failures are logged in full but never shown: the uploader gets a plain message
    // and tus-js-client retries (5xx).
    onResponseError: (req, err) => {
      const status = (err as { status_code?: number }).status_code ?? 500
      if (status < 500) return undefined
      logger.error({ err }, 'upload request failed')
      return { status_code: status, body: translator(getLocale(req))('upload.error.serverBusy') }
    },
    onUploadFinish: async (_req, upload) => {
      const ref = parseOriginalKey(upload.id)
      if (!ref) return {}
      const state = hashes.get(upload.id)
      hashes.delete(upload.id)
      const digest = state && state.offset === upload.size ? state.hash.digest('hex') : await sha256Of(upload.id)
      const result = await finishUpload(ref.fileId, digest)
      if (result.removeKey)
        await store
          .remove(result.removeKey)
          .catch((err: unknown) => logger.warn({ err, key: result.removeKey }, 'could not remove duplicate upload'))
      const headers: Record<string, string> = result.duplicateOf ? { 'Upload-Duplicate-Of': result.duplicateOf } : {}
      return { headers }
    },
  })
}

function parseMetadata(header: string | undefined) {
  const out: Record<string, string> = {}
  for (const pair of (header ?? '').split(',')) {
    const [k, v] = pair.trim().split(' ')
    if (k) out[k] = v ? Buffer.from(v, 'base64').toString('utf8') : ''
  }
  return out
}

/** Express handler: the gate, then tus. */
export function tusHandler() {
  const server = createTusServer()
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      if (req.method === 'OPTIONS') return await server.handle(req, res)
      const sessionId = await readSessionId(
        new Request('http://local/', { headers: { cookie: req.headers.cookie ?? '' } }),
      )
      const actor = sessionId ? await getActorForSession(sessionId) : null
      const method = req.method as 'POST' | 'PATCH' | 'HEAD' | 'DELETE'
      let fileId: string | undefined
      let expectedKey: string | null = null
      if (method === 'POST') {
        fileId = parseMetadata(req.get('upload-metadata')).fileId
      } else {
        expectedKey = keyForSegment(req.path.split('/').pop() ?? '')
        fileId = expectedKey ? parseOriginalKey(expectedKey)?.fileId : undefined
      }
      if (!fileId || !/^[a-z0-9]{8,40}$/i.test(fileId)) {
        res
          .status(404)
          .type('text/plain; charset=utf-8')
          .send(translator(localeOf(req))('error.notFound.body'))
        return
      }
      const lengthHeader = req.get('upload-length')
      const key = await authorizeTusRequest(
        actor,
        fileId,
        method,
        lengthHeader === undefined ? undefined : Number(lengthHeader),
      )
      if (expectedKey && expectedKey !== key) throw tusError(404, 'not found')
      authorisedKeys.set(req, key)
      await server.handle(req, res)
    } catch (e) {
      if (isAppError(e)) {
        res
          .status(e.status)
          .type('text/plain; charset=utf-8')
          .send(messageFor(e, localeOf(req)))
        return
      }
      next(e)
    }
  }
}
