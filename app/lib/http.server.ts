/** Maps typed application errors to HTTP, in one place. */
import { data } from '@remix-run/node'
import { isAppError } from './errors.ts'
import { translator, type Locale, type MessageKey } from './i18n/index.ts'

export type ActionFailure = {
  ok: false
  formError: MessageKey
  formErrorParams?: Record<string, string | number>
  fieldErrors: Partial<Record<string, MessageKey>>
}

/** For loaders: turn an AppError into a thrown Response the route's ErrorBoundary shows. */
export function throwAsResponse(e: unknown): never {
  if (isAppError(e)) throw new Response(e.messageKey, { status: e.status })
  throw e
}

/**
 * For actions: validation-like failures come back to the form (with HTTP status) so the user
 * keeps what they typed; permission and not-found failures go to the error page.
 */
export function actionFailure(e: unknown) {
  if (isAppError(e)) {
    if (e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND') throw new Response(e.messageKey, { status: e.status })
    // Throttles say how long in seconds where they know it (sign-in delays), else in minutes.
    const retryAfter = e.params.seconds !== undefined ? Number(e.params.seconds) : Number(e.params.minutes ?? 1) * 60
    const headers: HeadersInit = e.code === 'RATE_LIMITED' ? { 'Retry-After': String(Math.max(1, retryAfter)) } : {}
    return data<ActionFailure>(
      { ok: false, formError: e.messageKey, formErrorParams: e.params, fieldErrors: e.fields },
      { status: e.status, headers },
    )
  }
  throw e
}

/** Runs an action body, returning typed failures to the form. */
export async function runAction<T>(fn: () => Promise<T>) {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof Response) throw e
    return actionFailure(e)
  }
}

/** For JSON endpoints that pages call with a fetcher: an AppError as `{ ok: false, error, fields }`
 * in the visitor's language, with its HTTP status; anything else is rethrown. */
export function errorJson(e: unknown, locale: Locale) {
  if (!isAppError(e)) throw e
  const t = translator(locale)
  return Response.json(
    {
      ok: false,
      error: t(e.messageKey, e.params),
      fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, t(v!)])),
    },
    { status: e.status },
  )
}
