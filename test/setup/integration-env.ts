/**
 * Before each integration test file: a fresh database copied from the migrated template,
 * a Redis key prefix of its own, and a fresh set of clients. Files run in parallel workers
 * without sharing any state.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll } from 'vitest'
import { TEST } from './test-config.ts'

const g = globalThis as unknown as { __ercSingletons?: Map<string, unknown> }
async function closeClients() {
  for (const v of g.__ercSingletons?.values() ?? []) {
    const c = v as { $disconnect?: () => Promise<void>; quit?: () => Promise<unknown>; close?: () => Promise<void> }
    await (c.$disconnect?.() ?? c.quit?.() ?? Promise.resolve()).catch(() => {})
  }
  g.__ercSingletons = new Map()
}
await closeClients()

const id = `${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(3).toString('hex')}`
const db = `erc_test_${id}`
const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
await admin.connect()
// Two workers copying the template at the same instant collide ("being accessed by other
// users"); the copy takes milliseconds, so wait and try again.
for (let attempt = 0; ; attempt++) {
  try {
    await admin.query(`CREATE DATABASE ${db} TEMPLATE ${TEST.templateDb}`)
    break
  } catch (e) {
    if (attempt > 40 || !/being accessed/.test(String(e))) throw e
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200))
  }
}
await admin.end()

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-test-'))
Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: `${TEST.pgBase}/${db}`,
  REDIS_URL: TEST.redisUrl,
  REDIS_PREFIX: `erct${id}`,
  MEILI_URL: TEST.meiliUrl,
  MEILI_MASTER_KEY: TEST.meiliKey,
  MEILI_INDEX_PREFIX: `t${id}`,
  SESSION_SECRET: TEST.sessionSecret,
  // The server build requires every production variable (Remix compiles NODE_ENV to "production"
  // into it); files that pay through the fake Stripe set their own (test/support/fake-stripe.ts).
  STRIPE_SECRET_KEY: 'sk_test_integration_0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_integration_0123456789',
  STORAGE_DRIVER: 'local',
  STORAGE_LOCAL_ROOT: path.join(tmp, 'storage'),
  MESSAGE_TRANSPORT: 'memory',
  LOG_FILE: path.join(tmp, 'app.log'),
  LOG_LEVEL: 'debug',
  APP_URL: 'http://localhost:3999',
})

afterAll(async () => {
  await closeClients()
  const c = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
  await c.connect()
  await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  await c.end()
  fs.rmSync(tmp, { recursive: true, force: true })
})
