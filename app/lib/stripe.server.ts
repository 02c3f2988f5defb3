/**
 * The one module that talks to Stripe. Every call the marketplace makes goes through the SDK
 * client made here, with the API version the SDK pins, network retries for 429/5xx and
 * connection errors, and a timeout. STRIPE_API_URL points it at the local fake in the demo and
 * the tests (scripts/fake-stripe/server.ts); in production it is empty and the SDK talks to
 * api.stripe.com. Webhook signatures are verified here too, on the raw body.
 */
import Stripe from 'stripe'
import { env } from './env.server.ts'

export type { Stripe }

let client: { key: string; stripe: Stripe } | undefined

export function stripe(): Stripe {
  const e = env()
  const key = `${e.STRIPE_SECRET_KEY} ${e.STRIPE_API_URL}`
  if (client?.key === key) return client.stripe
  const base = e.STRIPE_API_URL ? new URL(e.STRIPE_API_URL) : null
  const made = new Stripe(e.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'edu-resource-cloud' },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  })
  client = { key, stripe: made }
  return made
}

/** Five minutes, Stripe's default: a delivery signed longer ago is refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300

/** The verified event, or null when the signature, secret or timestamp does not hold. */
export function verifyWebhook(rawBody: Buffer, signature: string | undefined): Stripe.Event | null {
  if (!signature) return null
  // The platform's endpoint secret, and the Connect endpoint's when providers' account events
  // are signed with one of their own.
  for (const secret of [env().STRIPE_WEBHOOK_SECRET, env().STRIPE_CONNECT_WEBHOOK_SECRET].filter(Boolean)) {
    try {
      return stripe().webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS)
    } catch {
      // not this secret
    }
  }
  return null
}
