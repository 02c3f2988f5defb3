// Remix 2 classic compiler (see docs/decisions/0002-remix-classic-compiler.md).
// Every v3 future flag is on, so that the later move to React Router v7 is a small step.
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: 'app',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverBuildPath: 'build/index.js',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Only route modules under app/routes are routes; the Express server and generated
  // Prisma client live beside them and must never be treated as routes.
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
}
