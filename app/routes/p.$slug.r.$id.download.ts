/** GET /p/:slug/r/:id/download — counts the download (once per user per day) and redirects to a
 * short-lived signed URL of the original. */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { throwAsResponse } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { downloadResource } from '~/services/engagement/usage.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const url = await downloadResource(actor, params.id ?? '', platform).catch(throwAsResponse)
  return redirect(url, { headers: { 'Cache-Control': 'no-store' } })
}
