/**
 * The web process: Express serving the Remix app, with the endpoints that must sit beside
 * it: health, signed file downloads, signed media (HLS, previews), the tus upload endpoint.
 *   tsx app/server/index.ts        (after `remix build`)
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Server } from 'node:http'
import express from 'express'
import compression from 'compression'
import { searchApi } from './search-api.ts'
import { pinoHttp } from 'pino-http'
import type { ServerBuild } from '@remix-run/node'
import { env } from '../lib/env.server.ts'
import { logger } from '../lib/logger.server.ts'
import { prisma } from '../lib/db.server.ts'
import { redis } from '../lib/redis.server.ts'
import { platformDirectory } from '../models/platform.server.ts'
import { healthz, readyz } from './health.ts'
import { serveDownload, serveMedia, serveThumb } from './media.ts'
import { createRequestHandler } from './remix-handler.ts'
import { TUS_PATH, tusHandler } from './uploads.ts'
import { stripeWebhook } from './stripe-webhook.ts'
import { csrfCookie, rejectCrossSite, requestId, securityHeaders, trustProxySetting } from './security.ts'
import type { RequestContext } from '../lib/context.ts'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')

function platformForHost(host: string | undefined) {
  return host ? platformDirectory.slugForDomain(host.split(':')[0]!.toLowerCase()) : Promise.resolve(null)
}

export async function createApp(build: ServerBuild) {
  const e = env()
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxySetting(e.TRUST_PROXY))
  app.use(requestId)
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => (res as express.Response).locals.requestId,
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || (req.url ?? '').startsWith('/build/'),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  )
  app.use(securityHeaders)
  app.use(compression())

  app.get('/healthz', healthz)
  app.get('/readyz', readyz)

  // Fingerprinted build assets are immutable; everything else in public/ is cached briefly.
  app.use('/build', express.static(path.join(ROOT, 'public/build'), { immutable: true, maxAge: '1y' }))
  // Other files in public/ (favicon, robots.txt) have an extension; page URLs never do, so
  // they skip the disk look-up the static handler would otherwise make on every page view.
  const publicFiles = express.static(path.join(ROOT, 'public'), { maxAge: '1h' })
  app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? publicFiles(req, res, next) : next()))

  // Stored objects, each behind its own kind of capability token (app/server/media.ts, ADR 0014).
  for (const [route, handler] of [
    ['/media/*', serveMedia],
    ['/thumbs/*', serveThumb],
    ['/files/*', serveDownload],
  ] as const) {
    app.get(route, (req, res, next) => void handler(req, res).catch(next))
    app.head(route, (req, res, next) => void handler(req, res).catch(next))
  }

  // The search API (JSON, read-only, public within each portal's scope).
  app.get('/p/:slug/api/search', (req, res, next) => void searchApi(req, res, next))
  // …and at its short path on a platform's own host name, as every page is (app/routes/_host.tsx).
  app.get('/api/search', (req, res, next) => {
    platformForHost(req.get('host')).then((slug) => {
      if (!slug) return next()
      req.params = { slug }
      return searchApi(req, res, next)
    }, next)
  })

  // Stripe's webhook: server to server, verified by its signature (no session, no CSRF token).
  stripeWebhook(app)

  app.use(rejectCrossSite)
  // Resumable uploads (tus). After rejectCrossSite; the handler checks the session itself.
  const tus = tusHandler()
  app.all([TUS_PATH, `${TUS_PATH}/*`], (req, res, next) => void tus(req, res, next))
  app.use(csrfCookie(e.NODE_ENV === 'production'))

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: e.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: async (req, res): Promise<RequestContext> => ({
        requestId: res.locals.requestId as string,
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        hostPlatformSlug: await platformForHost(req.get('host')),
        csrfCookie: res.locals.csrfCookie as string,
        cspNonce: res.locals.cspNonce as string,
      }),
    }),
  )
  return app
}

export async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.join(ROOT, 'build/index.js')).href)) as ServerBuild
}

export async function startServer(port = env().PORT): Promise<Server> {
  const app = await createApp(await loadBuild())
  return new Promise((resolve) => {
    const server = app.listen(port, '0.0.0.0', () => resolve(server))
  })
}

async function main() {
  const server = await startServer()
  logger.info({ port: env().PORT }, 'web server listening')
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down web server')
    server.close(async () => {
      await Promise.allSettled([prisma.$disconnect(), redis.quit()])
      process.exit(0)
    })
    setTimeout(() => process.exit(1), 10_000).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
