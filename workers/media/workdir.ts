/**
 * Scratch folders for processing. Each step runs in its own folder named after the worker's
 * pid; the folder goes when the step ends, however it ends. A worker killed outright (SIGKILL,
 * power loss) leaves its folder and possibly a child ffmpeg still writing into it: at boot,
 * `sweepWorkdirs` kills any process working inside a dead worker's folder and removes it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { workDir } from '../../app/services/media/limits.server.ts'
import { logger } from '../../app/lib/logger.server.ts'

export async function withWorkdir<T>(label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = path.join(
    workDir(),
    `${process.pid}-${label.replace(/[^a-z0-9]/gi, '')}-${randomBytes(4).toString('hex')}`,
  )
  await fs.mkdir(dir, { recursive: true })
  try {
    return await fn(dir)
  } finally {
    await fs
      .rm(dir, { recursive: true, force: true })
      .catch((err: unknown) => logger.warn({ err, dir }, 'could not remove work folder'))
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Processes whose working directory is inside `dir` (Linux /proc). */
async function processesIn(dir: string) {
  const pids: number[] = []
  for (const name of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue
    const cwd = await fs.readlink(`/proc/${name}/cwd`).catch(() => '')
    if (cwd === dir || cwd.startsWith(dir + path.sep)) pids.push(Number(name))
  }
  return pids
}

export async function sweepWorkdirs() {
  const root = workDir()
  await fs.mkdir(root, { recursive: true })
  let removed = 0
  for (const name of await fs.readdir(root)) {
    const pid = Number(name.split('-')[0])
    // Ours, or a live worker's: leave it. Anything else belongs to a worker that is gone.
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && alive(pid))) continue
    const dir = path.join(root, name)
    for (const orphan of await processesIn(dir)) {
      try {
        process.kill(orphan, 'SIGKILL')
      } catch {
        /* already gone */
      }
    }
    await fs.rm(dir, { recursive: true, force: true })
    removed++
  }
  if (removed) logger.info({ removed }, 'removed work folders left by stopped workers')
  return removed
}
