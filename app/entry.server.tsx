import { Transform, type TransformCallback } from 'node:stream'
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
} from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { logger } from '~/lib/logger.server.ts'
import { NonceContext } from '~/components/nonce.tsx'

const ABORT_DELAY = 5_000

/**
 * Drops NUL bytes from the rendered HTML. React 18.3's streaming renderer flushes unused zero
 * bytes of its 2 KB buffer when a 3-byte character (any Chinese one) does not fit at the
 * buffer's end (facebook/react#24985, #31134), so Chinese pages showed "字幕的\0\0开始".
 * 0x00 never occurs inside a UTF-8 sequence and has no place in HTML, so removing it is safe;
 * test/integration/html-integrity.test.ts checks the pages.
 */
class StripNul extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    if (chunk.indexOf(0) === -1) return done(null, chunk)
    const out = Buffer.allocUnsafe(chunk.length)
    let n = 0
    for (const byte of chunk) if (byte !== 0) out[n++] = byte
    done(null, out.subarray(0, n))
  }
}
export const streamTimeout = ABORT_DELAY

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  logger.error({ err: error, url: request.url }, 'unhandled error in loader or action')
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? ''
  // Pages carry media and thumbnail tokens made for their viewer: never kept by a shared cache.
  if (!responseHeaders.has('Cache-Control')) responseHeaders.set('Cache-Control', 'private, no-cache')
  // Bots get the whole document at once; browsers get it streamed as soon as the shell is ready.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true
          const body = new StripNul()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) logger.error({ err: error }, 'render error')
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}
