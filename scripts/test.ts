/**
 * `npm test`: everything, from a fresh clone. Starts (or installs) what the tests need, then
 * type check, lint, and the Vitest projects (unit, integration on real PostgreSQL/Redis/
 * Meilisearch, end-to-end in Debian's Chromium). Ends with a plain "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, SetupError, ensureChromium, ensureMediaTools, ensurePostgres, ensureRedis } from './lib/services.ts'
import { ensureCephInstalled } from './lib/rgw.ts'
import { TEST } from '../test/setup/test-config.ts'

const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name)
let passed = 0
let failed = 0

function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  console.log(`\n▶ ${name}`)
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = r.status === 0
  console.log(ok ? `✔ ${name}` : `✘ ${name} (exit ${r.status})`)
  return ok
}

try {
  await ensurePostgres(`${TEST.pgBase}/postgres`)
  await ensureRedis(TEST.redisUrl)
  ensureChromium()
  ensureMediaTools()
  // The S3 driver's tests run on a throwaway Ceph RGW (ADR 0008).
  ensureCephInstalled()
} catch (e) {
  if (e instanceof SetupError) {
    console.error(`cannot set up the test services: ${e.message}`)
    console.log('\n0 passed, 1 failed')
    process.exit(1)
  }
  throw e
}

for (const [name, cmd, args] of [
  ['type check', bin('tsc'), ['--noEmit', '-p', '.']],
  ['lint', bin('eslint'), ['.']],
  ['format (prettier --check)', bin('prettier'), ['--check', '.']],
] as const) {
  if (step(name, cmd, [...args])) passed++
  else failed++
}

// The integration tests drive the real server build.
if (!step('build', bin('remix'), ['build'], { NODE_ENV: 'production' })) failed++

const report = path.join(ROOT, 'test-results/vitest.json')
fs.rmSync(report, { force: true })
const vitestOk = step('vitest (unit, integration, e2e)', bin('vitest'), ['run'])
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numTotalTestSuites: number
    testResults: { status: string; assertionResults: unknown[] }[]
  }
  passed += r.numPassedTests
  failed += r.numFailedTests
  // A file that failed to load has no test results: count it as a failure too.
  failed += r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length
  if (!vitestOk && r.numFailedTests === 0) failed++
} else if (!vitestOk) failed++

console.log(`\nScreenshots: test-results/e2e/*.png`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
