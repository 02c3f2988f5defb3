import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { isMessageKey, type MessageKey } from '~/lib/i18n/index.ts'
import { useT } from './i18n.tsx'

const TITLES: Record<number, MessageKey> = {
  400: 'error.badRequest.title',
  401: 'error.unauthenticated.title',
  403: 'error.forbidden.title',
  404: 'error.notFound.title',
  429: 'error.tooMany.title',
}
const BODIES: Record<number, MessageKey> = {
  403: 'error.forbidden.body',
  404: 'error.notFound.body',
  401: 'auth.signInRequired',
}

/** The 403/404/500 page, in the user's language. Services' message keys are shown as text;
 * anything unexpected shows a generic message, never a stack trace. */
export function ErrorPage({ homeHref = '/' }: { homeHref?: string }) {
  const error = useRouteError()
  const t = useT()
  let status = 500
  let body: MessageKey = 'error.server.body'
  if (isRouteErrorResponse(error)) {
    status = error.status
    body =
      typeof error.data === 'string' && isMessageKey(error.data) ? error.data : (BODIES[status] ?? 'error.server.body')
  }
  const title = TITLES[status] ?? (status >= 500 ? 'error.server.title' : 'error.title')
  return (
    <section className="error-page" data-status={status}>
      <p className="error-code">{status}</p>
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <Link to={homeHref}>{t('error.backHome')}</Link>
      </p>
    </section>
  )
}
