/**
 * Objects shaped like Stripe's (API version the SDK pins), with only the fields the marketplace
 * reads and a few around them (names as in Stripe's API reference).
 */
import Stripe from 'stripe'

const ApiVersion = Stripe.API_VERSION

export type PayMethod = 'card' | 'alipay' | 'wechat_pay'
type Params = Record<string, unknown>
const now = () => Math.floor(Date.now() / 1000)
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Params) : {})
const int = (v: unknown) => (v === undefined || v === '' ? NaN : Number(v))

export function error(status: number, type: string, code: string, message: string) {
  return {
    status,
    body: { error: { type, code, message, ...(type === 'card_error' ? { decline_code: 'generic_decline' } : {}) } },
  }
}

export function session(id: string, intentId: string, p: Params, base: string) {
  const items = Object.values(obj(p.line_items)).map(obj)
  if (p.mode !== 'payment') return new Error('mode must be payment')
  if (!items.length) return new Error('line_items is required')
  let total = 0
  let currency = ''
  for (const it of items) {
    const pd = obj(it.price_data)
    const amount = int(pd.unit_amount)
    const qty = it.quantity === undefined ? 1 : int(it.quantity)
    if (!Number.isInteger(amount) || amount < 1) return new Error('unit_amount must be a positive integer')
    if (!Number.isInteger(qty) || qty < 1) return new Error('quantity must be a positive integer')
    currency = String(pd.currency ?? '')
    total += amount * qty
  }
  if (currency !== 'cny') return new Error('currency must be cny for these payment methods')
  const methods = Object.values(obj(p.allowed_payment_method_types ?? p.payment_method_types)).map(String)
  if (!methods.length || methods.some((m) => !['card', 'alipay', 'wechat_pay'].includes(m)))
    return new Error('allowed_payment_method_types must be among card, alipay, wechat_pay')
  if (methods.includes('wechat_pay') && obj(obj(p.payment_method_options).wechat_pay).client !== 'web')
    return new Error('payment_method_options[wechat_pay][client] is required')
  const pid = obj(p.payment_intent_data)
  const fee = int(pid.application_fee_amount)
  if (pid.application_fee_amount !== undefined && (!Number.isInteger(fee) || fee < 0 || fee > total))
    return new Error('application_fee_amount must be between 0 and the total')
  if (!String(p.success_url ?? '').startsWith('http')) return new Error('success_url must be a URL')
  return {
    id,
    object: 'checkout.session' as const,
    mode: 'payment' as const,
    status: 'open' as 'open' | 'complete' | 'expired',
    payment_status: 'unpaid' as 'unpaid' | 'paid',
    amount_subtotal: total,
    amount_total: total,
    currency,
    client_reference_id: (p.client_reference_id as string) ?? null,
    metadata: obj(p.metadata) as Record<string, string>,
    payment_intent: intentId as string | null,
    payment_method_types: methods,
    success_url: String(p.success_url),
    cancel_url: String(p.cancel_url ?? p.success_url),
    url: `${base}/pay/${id}`,
    expires_at: int(p.expires_at) || now() + 24 * 3600,
    created: now(),
    livemode: false,
    line_items_snapshot: items,
  }
}
export type FakeSession = Exclude<ReturnType<typeof session>, Error>

export function intent(id: string, s: FakeSession, p: Params) {
  const pid = obj(p.payment_intent_data)
  return {
    id,
    object: 'payment_intent' as const,
    amount: s.amount_total,
    currency: s.currency,
    status: 'requires_payment_method' as string,
    latest_charge: null as string | null,
    application_fee_amount: pid.application_fee_amount === undefined ? null : int(pid.application_fee_amount),
    transfer_data: obj(pid.transfer_data).destination
      ? { destination: String(obj(pid.transfer_data).destination) }
      : null,
    metadata: obj(pid.metadata) as Record<string, string>,
    payment_method_types: s.payment_method_types,
    created: now(),
    livemode: false,
  }
}
export type FakeIntent = ReturnType<typeof intent>

export function charge(id: string, pi: FakeIntent, method: PayMethod, transferId: string) {
  return {
    id,
    object: 'charge' as const,
    amount: pi.amount,
    amount_captured: pi.amount,
    amount_refunded: 0,
    currency: pi.currency,
    paid: true,
    captured: true,
    status: 'succeeded',
    refunded: false,
    disputed: false,
    payment_intent: pi.id,
    application_fee_amount: pi.application_fee_amount,
    transfer: pi.transfer_data ? transferId : null,
    transfer_data: pi.transfer_data,
    payment_method_details: { type: method },
    metadata: pi.metadata,
    refunds: {
      object: 'list' as const,
      data: [] as FakeRefund[],
      has_more: false,
      total_count: 0,
      url: `/v1/charges/${id}/refunds`,
    },
    created: now(),
    livemode: false,
  }
}
export type FakeCharge = ReturnType<typeof charge>

export function refund(
  id: string,
  ch: { id: string; currency: string; payment_intent: string; transfer: string | null },
  amount: number,
  p: Params,
) {
  return {
    id,
    object: 'refund' as const,
    amount,
    charge: ch.id,
    currency: ch.currency,
    payment_intent: ch.payment_intent,
    status: 'succeeded',
    reason: (p.reason as string) ?? null,
    metadata: obj(p.metadata) as Record<string, string>,
    /** Not Stripe fields: what was asked, kept so tests can see reverse_transfer / refund_application_fee. */
    transfer_reversal: p.reverse_transfer === 'true' && ch.transfer ? `trr_${id.slice(3)}` : null,
    created: now(),
  }
}
export type FakeRefund = ReturnType<typeof refund>

export function dispute(id: string, ch: FakeCharge) {
  return {
    id,
    object: 'dispute' as const,
    amount: ch.amount - ch.amount_refunded,
    charge: ch.id,
    currency: ch.currency,
    payment_intent: ch.payment_intent,
    reason: 'fraudulent',
    status: 'needs_response' as string,
    created: now(),
    livemode: false,
  }
}
export type FakeDispute = ReturnType<typeof dispute>

export function account(id: string, p: Params) {
  return {
    id,
    object: 'account' as const,
    type: String(p.type ?? 'express'),
    country: String(p.country ?? 'CN'),
    email: (p.email as string) ?? null,
    details_submitted: false,
    charges_enabled: false,
    payouts_enabled: false,
    metadata: obj(p.metadata) as Record<string, string>,
    created: now(),
  }
}
export type FakeAccount = ReturnType<typeof account>

export const accountLink = (url: string) => ({
  object: 'account_link' as const,
  url,
  created: now(),
  expires_at: now() + 300,
})

export function event(id: string, type: string, object: unknown, account?: string) {
  return {
    id,
    object: 'event' as const,
    api_version: ApiVersion,
    created: now(),
    type,
    data: { object: JSON.parse(JSON.stringify(object)) as unknown },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...(account ? { account } : {}),
  }
}
export type FakeEvent = ReturnType<typeof event>
