/** GET /p/:slug/r/:id/download — counts the download (once per user per day) and redirects to a
 * short-lived signed URL of the original, or (a licensee's premium document) sends the PDF stamped
 * with the licence. */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { throwAsResponse } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { downloadResource } from '~/services/engagement/usage.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const download = await downloadResource(actor, params.id ?? '', platform).catch(throwAsResponse)
  if ('url' in download) return redirect(download.url, { headers: { 'Cache-Control': 'no-store' } })
  return new Response(new Uint8Array(download.watermarked), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(download.name)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
