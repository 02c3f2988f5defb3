import { ErrorPage } from '~/components/error-page.tsx'

/**
 * Any unknown path: a proper 404 page. It sits in the platform-host layout (_host.tsx), so on a
 * platform's own host name the 404 comes inside that platform's header and footer; elsewhere the
 * layout itself answers 404 first, with the plain page.
 */
export async function loader() {
  throw new Response('error.notFound.body', { status: 404 })
}

export default function NotFound() {
  return null
}

/** Inside the layout's <main>: the page only. */
export function ErrorBoundary() {
  return <ErrorPage />
}
