import type { LoaderFunctionArgs } from '@remix-run/node'
import { useT } from '~/components/i18n.tsx'
import { requirePlatformPermission } from '~/lib/platform.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePlatformPermission(request, context, params.slug, 'resource.upload')
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
