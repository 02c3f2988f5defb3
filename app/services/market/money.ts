/**
 * Money arithmetic of the marketplace, framework-free and exact: integer fen only, never floats.
 * The price a provider types, the platform's fee, how a refund splits between the provider's
 * share and the fee, and the unified social credit code on an invoice request.
 */
import { MAX_PRICE_FEN, MIN_PRICE_FEN } from '~/lib/market-codes.ts'

export type PriceProblem = 'invalid' | 'tooManyDecimals' | 'tooLow' | 'tooHigh'

/** "12" / "12.5" / "12.50" yuan → 1250 fen; a reason otherwise. Full-width digits are accepted. */
export function parseYuan(input: string): { ok: true; fen: number } | { ok: false; problem: PriceProblem } {
  const s = input
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/^[¥￥]\s*/, '')
  if (s.startsWith('-')) return { ok: false, problem: 'tooLow' }
  const m = /^(\d{1,9})(?:\.(\d+))?$/.exec(s)
  if (!m) return { ok: false, problem: 'invalid' }
  if ((m[2] ?? '').length > 2) return { ok: false, problem: 'tooManyDecimals' }
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  if (fen < MIN_PRICE_FEN) return { ok: false, problem: 'tooLow' }
  if (fen > MAX_PRICE_FEN) return { ok: false, problem: 'tooHigh' }
  return { ok: true, fen }
}

/** The platform's fee on an amount, rounded half up to the fen. */
export function feeOf(amountFen: number, feeRateBps: number) {
  return Math.floor((amountFen * feeRateBps + 5000) / 10_000)
}

/**
 * How much of a refund comes back out of the fee. Stripe refunds the application fee in
 * proportion; computed on the running total so that refunds adding up to the whole amount
 * return exactly the whole fee, with no fen lost to rounding.
 */
export function feeRefundOf(order: { amountFen: number; feeFen: number; refundedFen: number }, refundFen: number) {
  const share = (refunded: number) =>
    Math.floor((order.feeFen * refunded * 2 + order.amountFen) / (2 * order.amountFen))
  return share(order.refundedFen + refundFen) - share(order.refundedFen)
}

// 统一社会信用代码 (GB 32100-2015): 18 characters from 31 (no I, O, S, V, Z); the last is a check
// character over the first 17 with weights 3^i mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** Whether a tax number is a valid unified social credit code (upper-cased, spaces removed first). */
export function isUnifiedSocialCreditCode(input: string) {
  const code = input.replace(/\s+/g, '').toUpperCase()
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]!) * USCC_WEIGHTS[i]!
  const check = (31 - (sum % 31)) % 31
  return code[17] === USCC_CHARS[check]
}
