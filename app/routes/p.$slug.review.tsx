import type { LoaderFunctionArgs } from '@remix-run/node'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { requirePlatformPermission } from '~/lib/platform.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePlatformPermission(request, context, params.slug, 'review.queue')
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
