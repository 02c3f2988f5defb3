import { redirect, type AppLoadContext } from '@remix-run/node'
import { can, type Action } from '~/services/authorization.server.ts'
import { env } from './env.server.ts'
import { platformBase, platformHref, type LinkHere, type LinkTarget } from './platform-links.ts'
import { getActor, requireActor } from './session.server.ts'
import { platformDirectory } from '~/models/platform.server.ts'

/**
 * The platform a request is for: from the /p/<slug> path, or, on a platform's own host name
 * (the short-path `_host.*` routes, which have no slug), the platform bound to that host.
 * 404 when there is none: a short path on a host that is no platform's does not exist.
 */
export async function requirePlatform(context: AppLoadContext, slug: string | undefined) {
  const wanted = slug === undefined ? context.hostPlatformSlug : slug
  const platform = wanted && /^[a-z0-9-]{1,64}$/.test(wanted) ? await platformDirectory.bySlug(wanted) : null
  if (!platform) throw new Response('error.notFound.body', { status: 404 })
  return platform
}

/** For pages behind a permission: the platform, the signed-in actor (or a redirect to sign in),
 * and a 403 response when the actor may not do `action` there. */
export async function requirePlatformPermission(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  action: Action,
) {
  const platform = await requirePlatform(context, slug)
  const actor = await requireActor(request, context, platform.slug)
  if (!can(actor, action, platform)) throw new Response('error.forbidden.body', { status: 403 })
  return { platform, actor }
}

/** For the sign-in and registration pages: someone already signed in goes to the platform's home. */
export async function redirectIfSignedIn(request: Request, context: AppLoadContext, slug: string | undefined) {
  const platform = await requirePlatform(context, slug)
  if (await getActor(request, context)) throw redirect(platformLinks(context, platform).home)
  return platform
}

/** Where this request's page is served, for `platformHref` (app/lib/platform-links.ts). */
export function linkHere(context: AppLoadContext, page: LinkTarget | null): LinkHere {
  return { hostSlug: context.hostPlatformSlug, pageSlug: page?.slug ?? null, appUrl: env().APP_URL }
}

/**
 * The links of a platform's own pages as this request should write them: `base` is the prefix
 * of every path ('' on the platform's host, else /p/<slug>), `home` its home page, `href(path)`
 * any other page (`href('/r/abc')`). Loaders use it for links and redirects alike.
 */
export function platformLinks(context: AppLoadContext, platform: LinkTarget) {
  const here = linkHere(context, platform)
  return {
    base: platformBase(platform, here),
    home: platformHref(platform, '', here),
    href: (path: string) => platformHref(platform, path, here),
  }
}
