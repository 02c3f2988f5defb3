/**
 * Typed application errors. Services throw these; one function (app/lib/http.server.ts)
 * maps them to HTTP. `messageKey` is an i18n key so the user sees the reason in their language;
 * `fields` carries per-field message keys for forms.
 */
import type { MessageKey } from './i18n/index.ts'

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'CSRF'
  | 'TOO_LARGE'
  | 'UNSUPPORTED'
  /** An outside service (Stripe) did not answer or refused for its own reasons; try again later. */
  | 'UNAVAILABLE'

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  CSRF: 403,
  TOO_LARGE: 413,
  UNSUPPORTED: 415,
  UNAVAILABLE: 503,
}

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly fields: Partial<Record<string, MessageKey>> = {},
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}: ${messageKey}`)
    this.status = STATUS[code]
  }
}

export const notFound = (key: MessageKey = 'error.notFound.body') => new AppError('NOT_FOUND', key)
export const forbidden = (key: MessageKey = 'error.forbidden.body') => new AppError('FORBIDDEN', key)
export const unauthenticated = () => new AppError('UNAUTHENTICATED', 'auth.signInRequired')
export const validation = (fields: Partial<Record<string, MessageKey>>, key: MessageKey = 'form.invalid') =>
  new AppError('VALIDATION', key, fields)
export const conflict = (key: MessageKey, fields: Partial<Record<string, MessageKey>> = {}) =>
  new AppError('CONFLICT', key, fields)
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', 'auth.tooManyAttempts', {}, { minutes: Math.ceil(retryAfterSeconds / 60) })

export const tooLarge = (key: MessageKey, params: Record<string, string | number>) =>
  new AppError('TOO_LARGE', key, {}, params)
export const unsupported = (key: MessageKey, params: Record<string, string | number> = {}) =>
  new AppError('UNSUPPORTED', key, {}, params)

export const unavailable = (key: MessageKey) => new AppError('UNAVAILABLE', key)

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
