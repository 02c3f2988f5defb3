/** POST /p/:slug/api/featured/:id — 推送 a featured collection of this platform. */
import type { ActionFunctionArgs } from '@remix-run/node'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { isAppError } from '~/lib/errors.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { getActor, requestMeta } from '~/lib/session.server.ts'
import { pushToAudience } from '~/services/review/push.server.ts'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const portal = await requirePlatform(context, params.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  const actor = await getActor(request, context)
  try {
    if (form.get('intent') !== 'push')
      return Response.json({ ok: false, error: translator(getLocale(request))('form.invalid') }, { status: 400 })
    const strings = (name: string) =>
      form
        .getAll(name)
        .filter((v): v is string => typeof v === 'string')
        .slice(0, 100)
    await pushToAudience(
      actor,
      portal,
      {
        collectionId: params.id ?? '',
        platformIds: strings('platformIds'),
        roles: strings('roles'),
        note: formString(form, 'note', 300),
      },
      requestMeta(context),
    )
    return Response.json({ ok: true })
  } catch (e) {
    if (!isAppError(e)) throw e
    return Response.json(
      { ok: false, error: translator(getLocale(request))(e.messageKey, e.params) },
      { status: e.status },
    )
  }
}
