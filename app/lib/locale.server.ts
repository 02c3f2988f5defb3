import { DEFAULT_LOCALE, isLocale, type Locale } from './i18n/index.ts'

export const LOCALE_COOKIE = 'erc_lng'

/** Chinese unless the user chose English (the choice is kept in a cookie). */
export function getLocale(request: Pick<Request, 'headers'>): Locale {
  return localeFromCookieHeader(request.headers.get('cookie'))
}

/** The same, from a raw Cookie header (Express requests outside Remix). */
export function localeFromCookieHeader(cookie: string | null | undefined): Locale {
  const m = /(?:^|;\s*)erc_lng=([^;]+)/.exec(cookie ?? '')
  const v = m?.[1] ? decodeURIComponent(m[1]) : null
  return isLocale(v) ? v : DEFAULT_LOCALE
}

export function localeCookie(locale: Locale) {
  return `${LOCALE_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax`
}
