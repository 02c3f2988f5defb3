import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { env } from '~/lib/env.server.ts'

/** "/" goes to the platform bound to this host name, or to the province's platform. */
export async function loader({ context }: LoaderFunctionArgs) {
  throw redirect(`/p/${context.hostPlatformSlug ?? env().DEFAULT_PLATFORM_SLUG}`)
}
