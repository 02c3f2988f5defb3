import type { NextFunction, Request, Response } from 'express'
import { sendText } from './plain-text.ts'
import { randomBytes, randomUUID } from 'node:crypto'
import { csrfCookieName, newCsrfCookieValue } from '../lib/csrf.server.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Express's `trust proxy` from TRUST_PROXY: a hop count, or the addresses/CIDRs of our proxies. */
export function trustProxySetting(value: string): number | string[] {
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((p) => p.trim())
}

/**
 * The Content-Security-Policy of every response. Scripts run only from this site and, inline,
 * with the request's nonce (Remix's hydration data and scroll restoration carry it); styles
 * from this site, plus style attributes (React's `style` props; they cannot run code). hls.js
 * plays through Media Source (blob: media) and may start a blob: worker.
 */
export function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ')
}

/** Baseline headers for every response, and the request's CSP nonce in `res.locals.cspNonce`. */
export function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString('base64')
  res.locals.cspNonce = nonce
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('X-Frame-Options', 'SAMEORIGIN')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
  // Over HTTPS (directly, or as said by a trusted proxy: TRUST_PROXY) browsers are told to stay there.
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  next()
}

export function requestId(req: Request, res: Response, next: NextFunction) {
  const incoming = req.get('x-request-id')
  const id = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
  res.locals.requestId = id
  res.setHeader('X-Request-Id', id)
  next()
}

/** First layer of CSRF protection: a state-changing request that says it comes from another
 * site is refused before any handler runs (see app/lib/csrf.server.ts for the token layer). */
export function rejectCrossSite(req: Request, res: Response, next: NextFunction) {
  if (!UNSAFE.has(req.method)) return next()
  const site = req.get('sec-fetch-site')
  const origin = req.get('origin')
  let crossOrigin = false
  if (origin && origin !== 'null') {
    try {
      crossOrigin = new URL(origin).host !== req.get('host')
    } catch {
      crossOrigin = true
    }
  } else if (origin === 'null') crossOrigin = true
  if (site === 'cross-site' || crossOrigin) {
    sendText(req, res, 403, 'http.crossSite')
    return
  }
  next()
}

/**
 * Every visitor gets a random CSRF cookie (HttpOnly, SameSite=Lax); forms carry an HMAC of it.
 * Where cookies are secure (production, HTTPS) it is named with the `__Host-` prefix, which the
 * browser accepts only with Secure, Path=/ and no Domain: a sibling subdomain cannot plant it.
 */
export function csrfCookie(secure: boolean) {
  const name = csrfCookieName(secure)
  const pattern = new RegExp(`(?:^|;\\s*)${name}=([A-Za-z0-9_-]{20,64})`)
  return (req: Request, res: Response, next: NextFunction) => {
    let value = pattern.exec(req.headers.cookie ?? '')?.[1]
    if (!value) {
      value = newCsrfCookieValue()
      res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure, path: '/' })
    }
    res.locals.csrfCookie = value
    next()
  }
}
