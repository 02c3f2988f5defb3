/** Once per test run: make sure PostgreSQL, Redis and a test Meilisearch are up, and build a
 * migrated template database that every test file copies (CREATE DATABASE … TEMPLATE). */
import pg from 'pg'
import { ensureMediaTools, ensureMeilisearch, ensurePostgres, ensureRedis } from '../../scripts/lib/services.ts'
import { generateFixtures } from '../fixtures/generate.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import { TEST } from './test-config.ts'

/** Both the integration and the e2e project list this file, and Vitest runs their global
 * setups concurrently in one process: share one run of it, or two would migrate the same
 * template database at once. */
export default function setup() {
  const g = globalThis as unknown as { __ercGlobalServices?: Promise<() => Promise<void>> }
  g.__ercGlobalServices ??= prepare()
  return g.__ercGlobalServices
}

async function prepare() {
  // The worker processes start after this and inherit the name.
  process.env.TEST_TEMPLATE_DB ??= `erc_test_template_${process.pid}`
  TEST.templateDb = process.env.TEST_TEMPLATE_DB
  await ensurePostgres(`${TEST.pgBase}/postgres`)
  await ensureRedis(TEST.redisUrl)
  const meili = await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey, { detached: false })
  const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${TEST.templateDb} WITH (FORCE)`)
  await admin.end()
  await applyMigrations(`${TEST.pgBase}/${TEST.templateDb}`)
  ensureMediaTools()
  await generateFixtures()
  return async () => {
    meili?.kill('SIGTERM')
    const done = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
    await done.connect()
    await done.query(`DROP DATABASE IF EXISTS ${TEST.templateDb} WITH (FORCE)`).catch(() => {})
    await done.end()
  }
}
