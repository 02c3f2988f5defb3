/**
 * The marketplace's codes and money formatting, shared by server and browser (no server imports
 * here: components import it). Money is integer fen (分), currency CNY.
 */

export const LICENCE_SCOPES = ['PERSONAL', 'SCHOOL', 'REGION'] as const
export type LicenceScopeCode = (typeof LICENCE_SCOPES)[number]

export const LICENCE_TERMS = ['ONE_YEAR', 'PERPETUAL'] as const
export type LicenceTermCode = (typeof LICENCE_TERMS)[number]

/** What a licence allows; shown before purchase and stored with the order. */
export const LICENCE_USES = ['CLASSROOM', 'PRINT_COPIES', 'SCHOOL_SHARING', 'ADAPT'] as const
export type LicenceUse = (typeof LICENCE_USES)[number]

/** 0.01 … 100,000.00 yuan. */
export const MIN_PRICE_FEN = 1
export const MAX_PRICE_FEN = 10_000_000
export const MAX_SEATS = 100_000

/** ¥1,234.50 */
export function formatFen(fen: number) {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`
}

/** 1234.5 → "1234.50", for a form's price field. */
export const fenToYuanInput = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
