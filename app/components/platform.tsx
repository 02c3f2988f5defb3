import { useRouteLoaderData } from '@remix-run/react'
import type { loader } from '~/routes/p.$slug.tsx'

export type PlatformLayoutData = Awaited<ReturnType<typeof loader>>

/** The current platform and what the signed-in user may do on it (from the layout route). */
export function usePlatformLayout() {
  const data = useRouteLoaderData<typeof loader>('routes/p.$slug')
  if (!data) throw new Error('usePlatformLayout outside /p/$slug')
  return data
}
