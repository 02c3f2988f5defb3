/**
 * POST /p/:slug/api/uploads — starts an upload: a draft resource and a file record to send the
 * bytes to over tus. JSON in both directions; the failure message is already translated.
 */
import type { ActionFunctionArgs } from '@remix-run/node'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { getActor, requestMeta } from '~/lib/session.server.ts'
import { startUpload } from '~/services/uploads/start-upload.server.ts'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  const actor = await getActor(request, context)
  try {
    const attachTo = formString(form, 'attachTo', 60)
    const started = await startUpload(
      actor,
      platform,
      {
        name: formString(form, 'name', 300),
        size: formString(form, 'size', 20),
        attachTo: attachTo || undefined,
        replace: form.get('replace') === '1',
      },
      requestMeta(context),
    )
    return Response.json({ ok: true, ...started, endpoint: '/uploads' })
  } catch (e) {
    if (!isAppError(e)) throw e
    const t = translator(getLocale(request))
    return Response.json({ ok: false, error: t(e.messageKey, e.params) }, { status: e.status })
  }
}
