/** Where the test servers live. Separate ports and databases from the demo, so tests never touch it. */
export const TEST = {
  pgBase: process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  /** One per test run (set by the global setup), so two runs on one machine never share or drop each other's template. */
  templateDb: process.env.TEST_TEMPLATE_DB ?? 'erc_test_template',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  meiliUrl: process.env.TEST_MEILI_URL ?? 'http://127.0.0.1:7710',
  meiliKey: 'test-only-meili-master-key-0123456789',
  sessionSecret: 'test-only-session-secret-0123456789abcdef',
  e2ePort: Number(process.env.TEST_E2E_PORT ?? 3310),
  e2eDb: process.env.TEST_E2E_DB ?? 'erc_test_e2e',
  /** The e2e run's fake Stripe (scripts/fake-stripe/server.ts), beside its web server. */
  e2eStripePort: Number(process.env.TEST_E2E_PORT ?? 3310) + 61,
  stripeWebhookSecret: 'whsec_test_e2e_0123456789abcdef',
}
