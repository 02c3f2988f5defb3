/**
 * A platform at its own address. On a platform's host name (醴陵 at liling.localhost: the
 * `domain` column, mapped to `context.hostPlatformSlug` in app/server/index.ts) every
 * /p/<slug>/… page is also served at its short path: /login, /resources, /r/<id>, /me, ….
 *
 * This pathless layout and the `_host.*` route files beside it re-export the `p.$slug*` route
 * modules unchanged; their loaders and actions find the platform from the host when the path
 * carries no slug (`requirePlatform`), and links are written short there (`platformHref`,
 * app/lib/platform-links.ts). Why routes and not a rewrite of the URL in Express: the browser's
 * router matches the address bar's path against the route tree, so a /login that only the server
 * knew as /p/liling/login would fail to hydrate and to navigate. test/unit/host-routes.test.ts
 * checks every p.$slug route has its twin here.
 */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { env } from '~/lib/env.server.ts'
import { loader as platformLayoutLoader } from './p.$slug.tsx'

export { default, meta, ErrorBoundary } from './p.$slug.tsx'

export async function loader(args: LoaderFunctionArgs) {
  if (!args.context.hostPlatformSlug) {
    // Not a platform's host name: "/" is the default (province) platform, as it always was, and
    // no other short path exists here (404, never some platform's page).
    if (new URL(args.request.url).pathname === '/') throw redirect(`/p/${env().DEFAULT_PLATFORM_SLUG}`)
    throw new Response('error.notFound.body', { status: 404 })
  }
  return platformLayoutLoader(args)
}
