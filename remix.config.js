// Remix 2 classic compiler (see docs/decisions/0002-remix-classic-compiler.md).
// Every v3 future flag is on, so that the later move to React Router v7 is a small step.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

// Only route modules under app/routes are routes; the Express server and generated
// Prisma client live beside them and must never be treated as routes.
const ignoredRouteFiles = ['**/.*', '**/*.test.*']

/**
 * A platform at its own address (app/routes/_host.tsx): every route under /p/:slug is mounted a
 * second time, the same module under its own id, at its short path (/login, /r/:id, …) inside the
 * pathless layout `routes/_host`, which serves them on platforms' host names only. Derived from the
 * file-system routes by Remix's own reader, so a new /p/:slug page has its short path with nothing
 * to add. (Remix supports one module under several ids: its manifest groups routes by file.)
 */
function hostRoutes(defineRoutes) {
  const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js')
  const LAYOUT = 'routes/p.$slug'
  const all = Object.values(flatRoutes(fileURLToPath(new URL('./app', import.meta.url)), ignoredRouteFiles))
  return defineRoutes((route) => {
    const mirror = (parentId) => {
      for (const r of all.filter((x) => x.parentId === parentId))
        route(
          r.path,
          r.file,
          { id: `routes/_host${r.id.slice(LAYOUT.length)}`, index: r.index, caseSensitive: r.caseSensitive },
          () => mirror(r.id),
        )
    }
    route(undefined, 'routes/_host.tsx', { id: 'routes/_host' }, () => mirror(LAYOUT))
  })
}

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: 'app',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverBuildPath: 'build/index.js',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  ignoredRouteFiles,
  routes: hostRoutes,
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
}
