/** GET /p/:slug/api/suggest?q= — suggestions as you type, within this portal's scope. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { isAppError } from '~/lib/errors.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { suggest } from '~/services/search/suggest.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  try {
    const suggestions = await suggest(platform, new URL(request.url).searchParams.get('q'))
    return Response.json({ suggestions }, { headers: { 'Cache-Control': 'private, max-age=30' } })
  } catch (e) {
    if (isAppError(e))
      return Response.json({ error: translator(getLocale(request))(e.messageKey, e.params) }, { status: e.status })
    throw e
  }
}
