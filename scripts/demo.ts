/**
 * `npm run demo`: the whole platform on this machine with Hunan demo data.
 * Starts (or installs) PostgreSQL, Redis and Meilisearch, migrates, seeds, builds, then runs
 * the web server and the workers until Ctrl-C.
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
  PORT: process.env.PORT ?? '3000',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/erc',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  MEILI_URL: process.env.MEILI_URL ?? 'http://127.0.0.1:7700',
  MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY ?? 'dev-only-meili-master-key-0123456789',
  STORAGE_LOCAL_ROOT: process.env.STORAGE_LOCAL_ROOT ?? path.join(ROOT, '.data/storage'),
}
env.APP_URL ??= `http://localhost:${env.PORT}`
const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
const children: ChildProcess[] = []

function run(cmd: string, args: string[]) {
  execFileSync(cmd, args, { stdio: 'inherit', env, cwd: ROOT })
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

run(tsx, ['scripts/db/migrate.ts'])
run(tsx, ['scripts/db/seed.ts'])
run(path.join(ROOT, 'node_modules/.bin/remix'), ['build'])
// Sample lesson media through the real ingest path; the workers started below process it.
run(tsx, ['scripts/db/seed-media.ts'])
// A published catalogue in teachers' wording plus generated resources across the textbooks,
// indexed for search through the real reindex path.
run(tsx, ['scripts/catalogue/seed.ts', process.env.DEMO_GENERATED ?? '2000'])

for (const [name, cmd, args] of [
  ['web', process.execPath, WEB_NODE_ARGS],
  ['workers', tsx, ['workers/index.ts']],
] as const) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, ERC_SERVICE: name }, cwd: ROOT })
  child.on('exit', (code) => {
    console.error(`[demo] ${name} exited with ${code}`)
    shutdown(code ?? 1)
  })
  children.push(child)
}

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
  console.log('Ctrl-C 停止 / to stop.\n')
}

let stopping = false
function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  for (const c of children) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 3000).unref()
}
process.on('SIGINT', () => shutdown(0))
process.on('SIGTERM', () => shutdown(0))
