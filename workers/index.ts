/**
 * The worker process: `npm run workers`. Checks its environment, starts the job workers and the
 * outbox dispatcher, and shuts down gracefully (running jobs finish; the rest stay queued).
 */
export {}
process.env.ERC_SERVICE ??= 'workers'
const { env } = await import('../app/lib/env.server.ts')
const { logger } = await import('../app/lib/logger.server.ts')
const { prisma } = await import('../app/lib/db.server.ts')
const { startWorkers } = await import('./runner.ts')
const { queue } = await import('./queue.ts')

env()
await prisma.$queryRaw`SELECT 1`
const w = startWorkers({ concurrency: 2 })
logger.info('workers started')

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'workers shutting down')
  setTimeout(() => process.exit(1), 30_000).unref()
  await w.stop()
  await queue.close()
  await prisma.$disconnect()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
