import type { NextFunction, Request, Response } from 'express'
import { sendText } from './plain-text.ts'
import { randomUUID } from 'node:crypto'
import { CSRF_COOKIE, newCsrfCookieValue } from '../lib/csrf.server.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Express's `trust proxy` from TRUST_PROXY: a hop count, or the addresses/CIDRs of our proxies. */
export function trustProxySetting(value: string): number | string[] {
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((p) => p.trim())
}

/** Baseline headers for every response. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('X-Frame-Options', 'SAMEORIGIN')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
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

/** Every visitor gets a random CSRF cookie (HttpOnly, SameSite=Lax); forms carry an HMAC of it. */
export function csrfCookie(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const m = new RegExp(`(?:^|;\\s*)${CSRF_COOKIE}=([A-Za-z0-9_-]{20,64})`).exec(req.headers.cookie ?? '')
    let value = m?.[1]
    if (!value) {
      value = newCsrfCookieValue()
      res.cookie(CSRF_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/' })
    }
    res.locals.csrfCookie = value
    next()
  }
}
