/**
 * Import FIRST in a test file that touches the marketplace: starts the local fake Stripe
 * (scripts/fake-stripe/server.ts) and points the SDK at it before anything reads the environment.
 * Webhooks go nowhere until the test tells the fake where its server is (`fakeStripe.setWebhookUrl`).
 */
import { startFakeStripe } from '../../scripts/fake-stripe/server.ts'

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdefghij'
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
process.env.STRIPE_SECRET_KEY = 'sk_test_erc_0123456789abcdef'
export const fakeStripe = await startFakeStripe({ webhookSecret: WEBHOOK_SECRET })
process.env.STRIPE_API_URL = fakeStripe.url
