import { findPlatformBySlug } from '~/models/platform.server.ts'

/** The platform a request is for, from the /p/<slug> path; 404 when there is none. */
export async function requirePlatform(slug: string | undefined) {
  const platform = slug && /^[a-z0-9-]{1,64}$/.test(slug) ? await findPlatformBySlug(slug) : null
  if (!platform) throw new Response('error.notFound.body', { status: 404 })
  return platform
}
