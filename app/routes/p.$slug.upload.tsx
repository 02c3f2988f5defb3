import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { formatBytes } from '~/components/media/format.ts'
import { Uploader } from '~/components/media/uploader.tsx'
import { isMessageKey } from '~/lib/i18n/index.ts'
import { platformLinks, requirePlatformPermission } from '~/lib/platform.server.ts'
import { formatMb, maxBytes } from '~/services/media/limits.server.ts'
import { listMyUploads } from '~/services/resources/list-my-uploads.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'resource.upload')
  return {
    base: platformLinks(context, platform).base,
    limits: {
      video: formatMb(maxBytes('VIDEO')),
      audio: formatMb(maxBytes('AUDIO')),
      document: formatMb(maxBytes('DOCUMENT')),
      image: formatMb(maxBytes('IMAGE')),
    },
    recent: await listMyUploads(actor, platform.id),
  }
}

export default function Upload() {
  const t = useT()
  const { base, limits, recent } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const pending = recent.filter((r) => r.fileStatus === 'UPLOADING')
  return (
    <section>
      <h1>{t('upload.title')}</h1>
      <p>{t('upload.intro')}</p>
      <p className="muted">{t('upload.dropHint')}</p>
      <p className="muted">{t('upload.limits', limits)}</p>
      {pending.length > 0 && (
        <div className="alert" data-testid="pending-uploads">
          <strong>{t('upload.pending')}</strong>
          <p>{t('upload.pendingHint')}</p>
          <ul>
            {pending.map((p) => (
              <li key={p.id}>
                {p.fileName} · {formatBytes(p.size)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Uploader base={base} onFinished={() => revalidator.revalidate()} />
      <h2>{t('upload.myRecent')}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t('upload.noneYet')}</p>
      ) : (
        <table className="table">
          <tbody>
            {recent.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`${base}/r/${r.id}`}>{r.title}</Link>
                </td>
                <td>{r.kind ? t(`resource.kind.${r.kind}`) : ''}</td>
                <td>{r.fileStatus ? t(`file.status.${r.fileStatus}`) : ''}</td>
                <td className="muted">{r.errorKey && isMessageKey(r.errorKey) ? t(r.errorKey) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
