/** Once per test run: make sure PostgreSQL, Redis and a test Meilisearch are up, and build a
 * migrated template database that every test file copies (CREATE DATABASE … TEMPLATE). */
import pg from 'pg'
import { ensureMeilisearch, ensurePostgres, ensureRedis } from '../../scripts/lib/services.ts'
import { applyMigrations } from '../../scripts/db/schema-engine.ts'
import { TEST } from './test-config.ts'

export default async function setup() {
  await ensurePostgres(`${TEST.pgBase}/postgres`)
  await ensureRedis(TEST.redisUrl)
  const meili = await ensureMeilisearch(TEST.meiliUrl, TEST.meiliKey, { detached: false })
  const admin = new pg.Client({ connectionString: `${TEST.pgBase}/postgres` })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${TEST.templateDb} WITH (FORCE)`)
  await admin.end()
  await applyMigrations(`${TEST.pgBase}/${TEST.templateDb}`)
  return async () => {
    meili?.kill('SIGTERM')
  }
}
