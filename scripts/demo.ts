/**
 * `npm run demo`: the whole platform on this machine with Hunan demo data.
 * Starts (or installs) PostgreSQL, Redis and Meilisearch, migrates, seeds, builds (while the
 * demo catalogue's files are made), then runs the web server and the workers, shows a progress
 * line while the workers process the demo files and draw the cover cards, indexes the catalogue,
 * and only then prints the address. Runs until Ctrl-C. A second run makes nothing twice.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import {
  ROOT,
  SetupError,
  WEB_NODE_ARGS,
  ensureMediaTools,
  ensureMeilisearch,
  ensurePostgres,
  ensureRedis,
  waitForHttp,
} from './lib/services.ts'

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  // This is the demo: the sign-in page may say where the demo accounts are (app/lib/env.server.ts).
  DEMO_MODE: '1',
  PORT: process.env.PORT ?? '3000',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/erc',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  MEILI_URL: process.env.MEILI_URL ?? 'http://127.0.0.1:7700',
  MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY ?? 'dev-only-meili-master-key-0123456789',
  STORAGE_LOCAL_ROOT: process.env.STORAGE_LOCAL_ROOT ?? path.join(ROOT, '.data/storage'),
  // Warnings and errors only, so that the progress line stays readable (LOG_LEVEL=info for more).
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // Three jobs at a time: LibreOffice spends part of each conversion starting up, not computing.
  WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '3',
}
env.APP_URL ??= `http://localhost:${env.PORT}`
// Stripe cannot be reached from here: unless STRIPE_API_URL says otherwise, payments go to the local
// fake (scripts/fake-stripe/server.ts), whose checkout page says plainly that it is a test page.
const fakeStripe = !process.env.STRIPE_API_URL
if (fakeStripe) env.STRIPE_API_URL = `http://127.0.0.1:${process.env.FAKE_STRIPE_PORT ?? '12111'}`
const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
const children: ChildProcess[] = []
const started = Date.now()

let stopping = false
function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  for (const c of children) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 3000).unref()
}
process.on('SIGINT', () => shutdown(0))
process.on('SIGTERM', () => shutdown(0))

/** Runs one step to its end; if it fails, the demo stops (with everything it started). */
function run(cmd: string, args: string[]) {
  try {
    execFileSync(cmd, args, { stdio: 'inherit', env, cwd: ROOT })
  } catch {
    console.error(`\n[demo] ${path.relative(ROOT, args[0] ?? cmd)} failed; stopping.`)
    shutdown(1)
    return new Promise<never>(() => {})
  }
}

/** Like `run`, without blocking: the build runs while the catalogue is seeded. */
function runAsync(cmd: string, args: string[], stdio: 'inherit' | 'ignore' = 'inherit') {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', stdio, 'inherit'], env, cwd: ROOT })
    children.push(child)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args[0]} ended with ${code ?? signal}`)),
    )
  })
}

try {
  await ensurePostgres(env.DATABASE_URL!)
  await ensureRedis(env.REDIS_URL!)
  ensureMediaTools()
  const meili = await ensureMeilisearch(env.MEILI_URL!, env.MEILI_MASTER_KEY!)
  if (meili) children.push(meili)
} catch (e) {
  if (e instanceof SetupError) {
    console.error(`\n无法启动依赖服务 / cannot start a dependency: ${e.message}\n`)
    process.exit(1)
  }
  throw e
}

/** A long-running process of the demo; when it ends, the demo ends. */
function service(name: 'web' | 'workers', cmd: string, args: readonly string[]) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, ERC_SERVICE: name }, cwd: ROOT })
  child.on('exit', (code) => {
    if (stopping) return
    console.error(`[demo] ${name} exited with ${code}`)
    shutdown(code ?? 1)
  })
  children.push(child)
}

if (fakeStripe)
  children.push(
    spawn(tsx, ['scripts/fake-stripe/server.ts'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: ROOT,
      env: {
        ...env,
        PORT: new URL(env.STRIPE_API_URL!).port,
        WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/webhooks/stripe`,
        // WeChat Pay and Alipay confirm a few seconds after the buyer leaves the payment page.
        ASYNC_SUCCESS_AFTER_MS: '6000',
      },
    }),
  )

await run(tsx, ['scripts/db/migrate.ts'])
await run(tsx, ['scripts/db/seed.ts'])
// The workers start now: files are processed as they arrive, while the web is being built.
service('workers', tsx, ['workers/index.ts'])
const build = runAsync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], 'ignore')
// Meanwhile the demo catalogue's files (videos, slides, lesson plans, worksheets) are made, into
// the cache the catalogue seed below takes them from.
const files = runAsync(tsx, ['scripts/catalogue/demo-content.ts'])
// Sample lesson media through the real ingest path (the workers process it).
await run(tsx, ['scripts/db/seed-media.ts'])
await files.catch((e: Error) => console.error(`[demo] ${e.message}; the catalogue seed makes them instead`))
// A published catalogue in teachers' wording plus generated resources across the textbooks; the
// hand-written resources get real files, uploaded and processed like a teacher's, and every
// resource without a picture a cover card (scripts/catalogue/seed.ts).
await run(tsx, ['scripts/catalogue/seed.ts', process.env.DEMO_GENERATED ?? '2000', '--demo'])
if (
  !(await build.then(
    () => true,
    (e: Error) => {
      console.error(`\n[demo] ${e.message}`)
      return false
    },
  ))
) {
  shutdown(1)
  await new Promise(() => {})
}
service('web', process.execPath, WEB_NODE_ARGS)

// The progress line, until the workers have processed every file and drawn every cover; then
// the catalogue is indexed with its pictures.
const seconds = (from: number) => Math.round((Date.now() - from) / 1000)
const prepared = seconds(started)
const processingFrom = Date.now()
await runAsync(tsx, ['scripts/catalogue/seed.ts', '--wait']).catch((e) => console.error(`[demo] ${e.message}`))
const processed = seconds(processingFrom)

if (
  await waitForHttp(`http://127.0.0.1:${env.PORT}/readyz`, 60_000).then(
    () => true,
    () => false,
  )
) {
  console.log(`\n教育资源云已启动 / the platform is up:  ${env.APP_URL}/p/hunan`)
  console.log(
    `醴陵市虚拟平台（按域名访问）/ county virtual platform by host name: http://liling.localhost:${env.PORT}/`,
  )
  // Where the time went: services, migrations, seeds, build and the demo's files; then the workers.
  const total = seconds(started)
  console.log(
    `用时 ${total} 秒（准备 ${prepared} 秒，处理 ${processed} 秒）/ ready in ${total} s (${prepared} s set-up, ${processed} s processing)`,
  )
  console.log('Ctrl-C 停止 / to stop.\n')
}
