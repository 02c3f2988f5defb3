import net from 'node:net'
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ensureMeilisearch, ROOT, WEB_NODE_ARGS, waitForHttp } from '../../scripts/lib/services.ts'
import { e2eEnv } from '../setup/global-e2e.ts'
import { TEST } from '../setup/test-config.ts'

const kids: ChildProcess[] = []
afterAll(() => kids.forEach((k) => k.kill('SIGKILL')))

function startServer(port: number, extra: Record<string, string>) {
  // node itself, not the tsx wrapper: SIGKILL on the wrapper would orphan the server.
  const child = spawn(process.execPath, WEB_NODE_ARGS, {
    cwd: ROOT,
    env: e2eEnv({ PORT: String(port), ...extra }),
    stdio: 'ignore',
  })
  kids.push(child)
  return waitForHttp(`http://127.0.0.1:${port}/healthz`)
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

describe('/healthz and /readyz', () => {
  it('both answer 200 when everything runs', async () => {
    const h = await fetch(`http://127.0.0.1:${TEST.e2ePort}/healthz`)
    expect(h.status).toBe(200)
    const r = await fetch(`http://127.0.0.1:${TEST.e2ePort}/readyz`)
    expect(r.status).toBe(200)
    const body = await r.json()
    expect(body.failing).toEqual([])
    expect(body.checks.map((c: { name: string }) => c.name).sort()).toEqual(['database', 'redis', 'search', 'storage'])
  })

  it('names a search server that is stopped, and recovers when it is back', async () => {
    // A port nothing holds (a search server left running by an earlier, interrupted run would
    // otherwise be taken for this test's own, which it must stop and start).
    const meiliUrl = `http://127.0.0.1:${await freePort()}`
    const dataDir = path.join(ROOT, '.data/meili-health-test')
    let meili = await ensureMeilisearch(meiliUrl, TEST.meiliKey, { dataDir })
    expect(meili).not.toBeNull()
    kids.push(meili!) // stopped after the test even if it fails half-way
    await startServer(3321, { MEILI_URL: meiliUrl })
    expect((await fetch('http://127.0.0.1:3321/readyz')).status).toBe(200)

    meili!.kill('SIGKILL')
    await new Promise((r) => meili!.once('exit', r))
    const down = await fetch('http://127.0.0.1:3321/readyz')
    expect(down.status).toBe(503)
    expect((await down.json()).failing).toEqual(['search'])
    expect((await fetch('http://127.0.0.1:3321/healthz')).status).toBe(200) // the process itself is fine

    meili = await ensureMeilisearch(meiliUrl, TEST.meiliKey, { dataDir })
    kids.push(meili!)
    expect((await fetch('http://127.0.0.1:3321/readyz')).status).toBe(200)
  })

  it('names the database and Redis when they cannot be reached', async () => {
    await startServer(3322, {
      DATABASE_URL: `${TEST.pgBase}/erc_no_such_database`,
      REDIS_URL: 'redis://127.0.0.1:6390',
    })
    const r = await fetch('http://127.0.0.1:3322/readyz')
    expect(r.status).toBe(503)
    expect((await r.json()).failing.sort()).toEqual(['database', 'redis'])
  })
})
