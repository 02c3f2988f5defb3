import type { LoaderFunctionArgs } from '@remix-run/node'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { throwAsResponse } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { assertCan } from '~/services/authorization.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const platform = await requirePlatform(params.slug)
  const actor = await requireActor(request, platform.slug)
  try {
    assertCan(actor, 'review.queue', platform)
  } catch (e) {
    throwAsResponse(e)
  }
  return null
}

export default function Review() {
  const t = useT()
  const { platform } = usePlatformLayout()
  return (
    <section>
      <h1>{t('review.title')}</h1>
      <p className="muted">{t('review.levelHint', { name: platform.name })}</p>
      <div className="empty">
        <p>{t('review.queueEmpty')}</p>
      </div>
    </section>
  )
}
