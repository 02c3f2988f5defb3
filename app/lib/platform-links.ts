/**
 * Where a link to a platform's page points, from a page served at a given address. The one
 * place that knows platforms may have their own host names (醴陵 at liling.localhost):
 *  - on a platform's own host its pages have short paths (`/login`, `/r/<id>`: the `_host.*`
 *    routes mount every `/p/<slug>/…` route there), and its links stay short;
 *  - the page's own platform, served elsewhere (at /p/<slug> on the province's host), keeps
 *    its links where the visitor is, so a signed-in session is not left behind;
 *  - another platform (a parent in the breadcrumb, a sub-platform) is linked at its own address:
 *    its host name if it has one, else /p/<slug> on the province's host (APP_URL).
 * Pure and shared by the server and the browser; the server builds `LinkHere` from the request.
 */

export type LinkTarget = { slug: string; domain?: string | null }

export type LinkHere = {
  /** The platform bound to the host name the page was served at (null on the province's host). */
  hostSlug: string | null
  /** The platform whose page this is (the /p/<slug> or the host's platform). */
  pageSlug: string | null
  /** The province's address (APP_URL): its scheme and port are those of every platform host too. */
  appUrl: string
}

/** `path` is '' (the platform's home) or starts with '/' (it may carry ?query and #hash). */
export function platformHref(target: LinkTarget, path: string, here: LinkHere): string {
  if (path && !path.startsWith('/')) throw new Error(`platformHref: path must start with "/": ${path}`)
  if (here.hostSlug === target.slug) return path || '/'
  if (here.pageSlug === target.slug) return `/p/${target.slug}${path}`
  if (target.domain) return `${originOf(target.domain, here.appUrl)}${path || '/'}`
  if (here.hostSlug) return `${new URL(here.appUrl).origin}/p/${target.slug}${path}`
  return `/p/${target.slug}${path}`
}

/** The prefix of every path of the page's own platform: '' on its host, else /p/<slug>. */
export function platformBase(target: LinkTarget, here: LinkHere): string {
  return here.hostSlug === target.slug ? '' : `/p/${target.slug}`
}

/** A platform host's origin: its host name with the scheme and port of the province's address. */
function originOf(domain: string, appUrl: string) {
  const app = new URL(appUrl)
  return `${app.protocol}//${domain}${app.port ? `:${app.port}` : ''}`
}
