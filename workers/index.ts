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
const { checkTools, INSTALL_HINT } = await import('./media/tools.ts')
const { sweepWorkdirs } = await import('./media/workdir.ts')

env()
await prisma.$queryRaw`SELECT 1`
// Processing needs ffmpeg (with libx264 and aac), ffprobe, LibreOffice and poppler. Say exactly
// what is missing rather than failing every job later.
const tools = await checkTools()
if (!tools.ok) {
  logger.fatal(
    { missing: tools.missing },
    `processing tools missing: ${tools.missing.join(', ')}. Install them with: ${INSTALL_HINT}`,
  )
  process.exit(1)
}
logger.info({ tools: tools.versions }, 'processing tools found')
await sweepWorkdirs()
const w = startWorkers()
// Sweep abandoned uploads and objects no row accounts for (one schedule however many workers):
// every six hours, or often enough that an upload is swept soon after UPLOAD_ABANDON_AFTER_HOURS.
const sweepEvery = Math.max(5 * 60_000, Math.min(6 * 3600_000, (env().UPLOAD_ABANDON_AFTER_HOURS * 3600_000) / 4))
await queue.upsertJobScheduler('storage.sweep', { every: sweepEvery }, { name: 'storage.sweep', data: {} })
logger.info({ concurrency: env().WORKER_CONCURRENCY }, 'workers started')

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
