/** Once per e2e run: ensure Chromium, build the app, copy the template into a seeded e2e
 * database and start the real web server (and workers) as child processes. */
import { execFileSync, spawn } from 'node:child_process'
import path from 'node:path'
import fs from 'node:fs'
import pg from 'pg'
import { ensureChromium, ROOT, WEB_NODE_ARGS, waitForHttp } from '../../scripts/lib/services.ts'
import { TEST } from './test-config.ts'
import { startFakeStripe } from '../../scripts/fake-stripe/server.ts'

/** Everything an e2e run keeps outside its database is named after it too (queues, index, files),
 * so two runs on one machine (TEST_E2E_DB, TEST_E2E_PORT) never take each other's jobs or documents. */
const RUN_TAG = TEST.e2eDb === 'erc_test_e2e' ? 'e2e' : TEST.e2eDb.replace(/^erc_test_/, '').replace(/[^a-z0-9_]/g, '')

export function e2eEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(TEST.e2ePort),
    APP_URL: `http://localhost:${TEST.e2ePort}`,
    DATABASE_URL: `${TEST.pgBase}/${TEST.e2eDb}`,
    REDIS_URL: TEST.redisUrl,
    REDIS_PREFIX: `erc${RUN_TAG}`,
    MEILI_URL: TEST.meiliUrl,
    MEILI_MASTER_KEY: TEST.meiliKey,
    MEILI_INDEX_PREFIX: RUN_TAG,
    SESSION_SECRET: TEST.sessionSecret,
    STORAGE_LOCAL_ROOT: path.join(ROOT, `.data/${RUN_TAG}-storage`),
    MESSAGE_TRANSPORT: 'log',
    LOG_LEVEL: 'warn',
    STRIPE_API_URL: `http://127.0.0.1:${TEST.e2eStripePort}`,
    STRIPE_SECRET_KEY: 'sk_test_e2e_0123456789abcdef',
    STRIPE_WEBHOOK_SECRET: TEST.stripeWebhookSecret,
    ...extra,
  }
}

export default async function setup() {
  ensureChromium()
  // The browser bundle is built as in production (vitest sets NODE_ENV=test); E2E_BUILD_MODE=development
  // builds React's development bundle instead, whose hydration warnings watchErrors then reports.
  execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: process.env.E2E_BUILD_MODE === 'development' ? 'development' : 'production' },
  })
  const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${TEST.e2eDb} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${TEST.e2eDb} TEMPLATE ${TEST.templateDb}`)
  await admin.end()
  const env = e2eEnv()
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
  execFileSync(tsx, ['scripts/db/seed.ts'], { cwd: ROOT, env, stdio: 'ignore' })
  // A published, indexed catalogue: the hand-written resources and 300 generated ones.
  execFileSync(tsx, ['scripts/catalogue/seed.ts', '300'], { cwd: ROOT, env, stdio: 'ignore' })
  fs.mkdirSync(path.join(ROOT, 'test-results/e2e'), { recursive: true })
  const log = fs.openSync(path.join(ROOT, 'test-results/e2e/server.log'), 'w')
  // node itself rather than the tsx wrapper, so that signals reach the processes we stop.
  const web = spawn(process.execPath, WEB_NODE_ARGS, { cwd: ROOT, env, stdio: ['ignore', log, log] })
  const workers = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  })
  // Stripe's stand-in: the real SDK in the server talks to it; it posts signed webhooks back.
  const stripe = await startFakeStripe({
    port: TEST.e2eStripePort,
    webhookUrl: `http://127.0.0.1:${TEST.e2ePort}/webhooks/stripe`,
    webhookSecret: TEST.stripeWebhookSecret,
  })
  await waitForHttp(`http://127.0.0.1:${TEST.e2ePort}/readyz`)
  return async () => {
    await stripe.close()
    const stopped = (c: typeof web) =>
      new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())))
    for (const c of [web, workers]) c.kill('SIGTERM')
    const force = setTimeout(() => [web, workers].forEach((c) => c.kill('SIGKILL')), 10_000)
    await Promise.all([stopped(web), stopped(workers)])
    clearTimeout(force)
  }
}
