/**
 * CSRF protection for every state-changing request, in two layers:
 * 1. the Express server refuses unsafe methods whose Origin or Sec-Fetch-Site says the request
 *    came from another site (app/server/security.ts);
 * 2. every action reads its form through `readForm()`, which requires the `_csrf` field (or the
 *    `x-csrf-token` header) to equal HMAC(SESSION_SECRET, csrf cookie). The cookie is HttpOnly
 *    and SameSite=Lax, so another site can neither read nor forge the pair.
 * A test checks that every route with an action calls readForm.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { env } from './env.server.ts'
import { AppError } from './errors.ts'

export const CSRF_COOKIE = 'erc_csrf'
/** `__Host-erc_csrf` where cookies are secure (see app/server/security.ts). */
export const csrfCookieName = (secure: boolean) => (secure ? `__Host-${CSRF_COOKIE}` : CSRF_COOKIE)
export const CSRF_FIELD = '_csrf'

export function newCsrfCookieValue() {
  return randomBytes(24).toString('base64url')
}

export function csrfTokenFor(cookieValue: string) {
  return createHmac('sha256', env().SESSION_SECRET).update(`csrf:${cookieValue}`).digest('base64url')
}

export function verifyCsrf(cookieValue: string | undefined, token: string | null | undefined) {
  if (!cookieValue || !token) return false
  const expected = Buffer.from(csrfTokenFor(cookieValue))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Reads an action's form data after checking its CSRF token. Bodies over 1 MB are refused
 * here (file uploads go to the tus endpoint, never through a form action). */
export async function readForm(request: Request, context: AppLoadContext): Promise<FormData> {
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > 1_000_000) throw new AppError('VALIDATION', 'form.invalid')
  const form = await request.formData()
  const token = request.headers.get('x-csrf-token') ?? form.get(CSRF_FIELD)
  if (!verifyCsrf(context.csrfCookie, typeof token === 'string' ? token : null)) throw new AppError('CSRF', 'form.csrf')
  return form
}

export function formString(form: FormData, name: string, max = 10_000): string {
  const v = form.get(name)
  return typeof v === 'string' ? v.slice(0, max) : ''
}
