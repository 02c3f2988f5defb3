import { unreadCount } from '~/services/notifications/notify.server.ts'
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from '~/components/error-page.tsx'
import { useNonce } from '~/components/nonce.tsx'
import { useT } from '~/components/i18n.tsx'
import { csrfTokenFor } from '~/lib/csrf.server.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { getActor } from '~/lib/session.server.ts'
import styles from '~/styles/app.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: '教育资源云' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context)
  return {
    locale: getLocale(request),
    csrfToken: csrfTokenFor(context.csrfCookie),
    actor: actor
      ? { userId: actor.userId, displayName: actor.displayName, unread: await unreadCount(actor.userId) }
      : null,
  }
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  return (
    <html lang={data?.locale ?? 'zh-CN'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const t = useT()
  return (
    <main id="main" className="container">
      <title>{t('error.title')}</title>
      <ErrorPage />
    </main>
  )
}
