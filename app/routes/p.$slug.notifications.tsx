/** 通知: what happened to my submissions, reviews and reports. Opening the page marks them read. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { listNotifications, markAllRead, renderNotification } from '~/services/notifications/notify.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const rows = await listNotifications(actor)
  // Read once shown; the bell's count follows on the next page.
  await markAllRead(actor)
  const t = translator(getLocale(request))
  return {
    items: rows.map((n) => ({
      id: n.id,
      text: renderNotification(t, n.kind, n.params as Record<string, string>),
      link: n.link,
      unread: !n.readAt,
      at: n.createdAt.toISOString(),
    })),
  }
}

export default function Notifications() {
  const t = useT()
  const { items } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>{t('notify.title')}</h1>
      {items.length === 0 ? (
        <p className="empty">{t('notify.none')}</p>
      ) : (
        <ul className="comments" data-testid="notifications">
          {items.map((n) => (
            <li key={n.id} className={`comment${n.unread ? ' unread' : ''}`} data-testid="notification">
              <Link to={n.link}>{n.text}</Link>
              <p className="muted small">{new Date(n.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
