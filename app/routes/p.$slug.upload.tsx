import type { LoaderFunctionArgs } from '@remix-run/node'
import { useT } from '~/components/i18n.tsx'
import { throwAsResponse } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { assertCan } from '~/services/authorization.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const platform = await requirePlatform(params.slug)
  const actor = await requireActor(request, platform.slug)
  try {
    assertCan(actor, 'resource.upload', platform)
  } catch (e) {
    throwAsResponse(e)
  }
  return null
}

export default function Upload() {
  const t = useT()
  return (
    <section>
      <h1>{t('upload.title')}</h1>
      <p>{t('upload.intro')}</p>
      <p className="alert">{t('upload.unavailable')}</p>
    </section>
  )
}
