import { redirect, type AppLoadContext } from '@remix-run/node'
import { can, type Action } from '~/services/authorization.server.ts'
import { getActor, requireActor } from './session.server.ts'
import { platformDirectory } from '~/models/platform.server.ts'

/** The platform a request is for, from the /p/<slug> path; 404 when there is none. */
export async function requirePlatform(context: AppLoadContext, slug: string | undefined) {
  const platform = slug && /^[a-z0-9-]{1,64}$/.test(slug) ? await platformDirectory.bySlug(slug) : null
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
  if (await getActor(request, context)) throw redirect(`/p/${platform.slug}`)
  return platform
}
