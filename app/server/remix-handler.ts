/**
 * Express → Remix, with every request body bounded before Remix (or anything else) parses it.
 *
 * Why not `@remix-run/express`'s handler: it hands Remix the raw request stream, so a chunked
 * POST with no Content-Length was read whole by `request.formData()` before any route could
 * check its size or its CSRF token. Here the body is counted as it arrives and refused with 413
 * the moment it passes the limit; Remix gets a request whose body is an already-read buffer.
 * Forms and JSON are small (files go to the tus endpoint, which has its own limits).
 */
import type { NextFunction, Request, Response } from 'express'
import { createRequestHandler as createRemixHandler, writeReadableStreamToWritable } from '@remix-run/node'
import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { sendText } from './plain-text.ts'

/** Forms and JSON alike. */
export const MAX_BODY_BYTES = 1_000_000

export class BodyTooLarge extends Error {}

/**
 * Reads a request body into memory, refusing it as soon as it passes `limit` bytes (whatever
 * Content-Length says or does not say). At most `limit` bytes are ever held.
 */
export function readBoundedBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        req.pause()
        reject(new BodyTooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (err: Error) => {
      cleanup()
      reject(err)
    }
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** Answers 413 and closes the connection, so the rest of an oversized body is never read. */
export function refuseTooLarge(req: Request, res: Response) {
  res.setHeader('Connection', 'close')
  res.on('finish', () => req.socket.destroy())
  sendText(req, res, 413, 'http.bodyTooLarge')
}

function headersOf(req: Request) {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value) headers.set(key, value)
  }
  return headers
}

function remixRequest(req: Request, res: Response, body: Buffer | null) {
  // req.hostname and req.protocol respect the "trust proxy" setting (TRUST_PROXY).
  const port = req.get('host')?.split(':')[1]
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`)
  let controller: AbortController | null = new AbortController()
  // Abort loaders and actions when the response can no longer be written (closed before finished).
  res.on('finish', () => (controller = null))
  res.on('close', () => controller?.abort())
  return new Request(url.href, {
    method: req.method,
    headers: headersOf(req),
    signal: controller.signal,
    ...(body ? { body: new Uint8Array(body) } : {}),
  })
}

export function createRequestHandler(opts: {
  build: ServerBuild
  mode: 'production' | 'development'
  getLoadContext: (req: Request, res: Response) => Promise<AppLoadContext>
  maxBodyBytes?: number
}) {
  const handle = createRemixHandler(opts.build, opts.mode)
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      let body: Buffer | null = null
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        try {
          body = await readBoundedBody(req, limit)
        } catch (e) {
          if (e instanceof BodyTooLarge) return refuseTooLarge(req, res)
          throw e
        }
      }
      const response = await handle(remixRequest(req, res, body), await opts.getLoadContext(req, res))
      res.statusMessage = response.statusText
      res.status(response.status)
      for (const [key, value] of response.headers.entries()) res.append(key, value)
      if (response.body) await writeReadableStreamToWritable(response.body, res)
      else res.end()
    } catch (error) {
      next(error)
    }
  }
}
