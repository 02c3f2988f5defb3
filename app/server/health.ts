/**
 * /healthz: the process is up (no dependency is touched).
 * /readyz: every dependency answers; a failing one is named, with status 503.
 */
import type { Request, Response } from 'express'
import { prisma } from '../lib/db.server.ts'
import { redis } from '../lib/redis.server.ts'
import { checkSearch } from '../../search/client.ts'
import { storage } from '../../storage/index.ts'

type Check = { name: 'database' | 'redis' | 'search' | 'storage'; run: () => Promise<unknown> }

const CHECKS: Check[] = [
  { name: 'database', run: () => prisma.$queryRaw`SELECT 1` },
  {
    name: 'redis',
    run: async () => {
      if ((await redis.ping()) !== 'PONG') throw new Error('no PONG')
    },
  },
  { name: 'search', run: () => checkSearch() },
  { name: 'storage', run: () => storage.check() },
]

function withTimeout<T>(p: Promise<T>, ms: number) {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ])
}

export async function readiness() {
  const results = await Promise.all(
    CHECKS.map(async (c) => {
      try {
        await withTimeout(c.run(), 2_000)
        return { name: c.name, ok: true as const }
      } catch (e) {
        return { name: c.name, ok: false as const, error: String((e as Error).message ?? e).slice(0, 200) }
      }
    }),
  )
  const failing = results.filter((r) => !r.ok).map((r) => r.name)
  return { ready: failing.length === 0, failing, checks: results }
}

export function healthz(_req: Request, res: Response) {
  res.json({ status: 'ok', uptime: Math.round(process.uptime()) })
}

export async function readyz(_req: Request, res: Response) {
  const r = await readiness()
  res
    .status(r.ready ? 200 : 503)
    .json({ status: r.ready ? 'ready' : 'not ready', failing: r.failing, checks: r.checks })
}
