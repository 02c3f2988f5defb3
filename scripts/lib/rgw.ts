/**
 * A throwaway S3 server for tests and local trials: Ceph's RADOS Gateway from Debian, on a
 * single-node Ceph cluster (one monitor, one in-memory OSD) bound to loopback. MinIO's server
 * cannot be installed on our machines (../shared/platform-notes.md; ADR 0008).
 *   const s3 = await startRgw();  …  await s3.stop()
 */
import { spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { aptInstall, has } from './services.ts'

export type Rgw = {
  endpoint: string
  accessKey: string
  secretKey: string
  region: string
  dir: string
  stop: () => Promise<void>
}

export function ensureCephInstalled() {
  if (has('radosgw') && has('ceph-mon') && has('ceph-osd')) return
  aptInstall(['ceph-mon', 'ceph-osd', 'radosgw'], 'the S3 tests need Ceph RGW (ADR 0008)')
}

async function waitFor(what: string, fn: () => Promise<boolean> | boolean, ms = 60_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await fn()) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`Ceph RGW: ${what} did not happen within ${ms} ms`)
}

export async function startRgw(opts: RgwOptions = {}): Promise<Rgw> {
  ensureCephInstalled()
  const dirs: string[] = []
  try {
    return await boot(opts, dirs)
  } catch (e) {
    for (const d of dirs) killDaemons(d)
    throw e
  }
}

/** Kills the cluster's daemons: every process started with this cluster's config file. */
function killDaemons(dir: string) {
  const conf = path.join(dir, 'ceph.conf')
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(conf))
        process.kill(Number(name), 'SIGKILL')
    } catch {
      /* gone, or not ours */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true })
}

type RgwOptions = { port?: number; monPort?: number; accessKey?: string; secretKey?: string }

async function boot(opts: RgwOptions, dirs: string[]): Promise<Rgw> {
  const port = opts.port ?? 17480
  const monPort = opts.monPort ?? 13300
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-rgw-'))
  dirs.push(dir)
  const conf = path.join(dir, 'ceph.conf')
  const fsid = randomUUID()
  for (const d of ['run', 'log', 'mon', 'osd', 'rgw']) fs.mkdirSync(path.join(dir, d))
  fs.writeFileSync(
    conf,
    `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
public addr = 127.0.0.1
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = ${dir}/admin.keyring
run dir = ${dir}/run
pid file = ${dir}/run/$name.pid
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
ms bind msgr1 = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd objectstore = memstore
memstore device bytes = ${4 * 1024 ** 3}
[mon.a]
mon data = ${dir}/mon
[osd.0]
osd data = ${dir}/osd
keyring = ${dir}/osd/keyring
[client.rgw.erc]
keyring = ${dir}/rgw.keyring
rgw frontends = beast endpoint=127.0.0.1:${port}
rgw data = ${dir}/rgw
rgw enable usage log = false
`,
  )
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, timeout: 60_000 })
    if (r.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString().slice(-600)}`)
    return r.stdout.toString()
  }
  const ceph = (...args: string[]) => run('ceph', ['-c', conf, '--connect-timeout', '20', ...args])

  run('ceph-authtool', ['--create-keyring', `${dir}/mon.keyring`, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'])
  run('ceph-authtool', [
    '--create-keyring',
    `${dir}/admin.keyring`,
    '--gen-key',
    '-n',
    'client.admin',
    '--cap',
    'mon',
    'allow *',
    '--cap',
    'osd',
    'allow *',
    '--cap',
    'mgr',
    'allow *',
  ])
  run('ceph-authtool', [`${dir}/mon.keyring`, '--import-keyring', `${dir}/admin.keyring`])
  run('monmaptool', ['--create', '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, '--fsid', fsid, `${dir}/monmap`])
  run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', `${dir}/monmap`, '--keyring', `${dir}/mon.keyring`])
  run('ceph-mon', ['-c', conf, '-i', 'a'])
  const osdId = ceph('osd', 'create').trim()
  run('ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--mkkey', '--no-mon-config'])
  ceph('auth', 'add', `osd.${osdId}`, 'osd', 'allow *', 'mon', 'allow profile osd', '-i', `${dir}/osd/keyring`)
  run('ceph-osd', ['-c', conf, '-i', osdId])
  await waitFor('the OSD to come up', () => /1 up/.test(ceph('osd', 'stat')))
  ceph('auth', 'get-or-create', 'client.rgw.erc', 'mon', 'allow rw', 'osd', 'allow rwx', '-o', `${dir}/rgw.keyring`)
  run('radosgw', ['-c', conf, '-n', 'client.rgw.erc'])
  const endpoint = `http://127.0.0.1:${port}`
  await waitFor(
    'the gateway to answer',
    async () => {
      try {
        return (await fetch(endpoint)).status > 0
      } catch {
        return false
      }
    },
    90_000,
  )
  const accessKey = opts.accessKey ?? `ERC${randomBytes(8).toString('hex').toUpperCase()}`
  const secretKey = opts.secretKey ?? randomBytes(24).toString('base64url')
  run('radosgw-admin', [
    '-c',
    conf,
    '-n',
    'client.admin',
    'user',
    'create',
    '--uid=erc',
    '--display-name=erc',
    `--access-key=${accessKey}`,
    `--secret=${secretKey}`,
  ])

  const stop = async () => killDaemons(dir)
  return { endpoint, accessKey, secretKey, region: 'us-east-1', dir, stop }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t = Date.now()
  const s3 = await startRgw()
  console.log(`RGW up in ${Date.now() - t} ms at ${s3.endpoint} (access key ${s3.accessKey}); Ctrl-C stops it`)
  process.on('SIGINT', () => void s3.stop().then(() => process.exit(0)))
}
