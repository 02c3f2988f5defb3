import { ErrorPage } from '~/components/error-page.tsx'

/** Any unknown path: a proper 404 page. */
export async function loader() {
  throw new Response('error.notFound.body', { status: 404 })
}

export default function NotFound() {
  return null
}

export function ErrorBoundary() {
  return (
    <main id="main" className="container">
      <ErrorPage />
    </main>
  )
}
