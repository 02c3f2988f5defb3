import { useRouteLoaderData } from '@remix-run/react'
import type { loader } from '~/routes/p.$slug.tsx'

export type PlatformLayoutData = Awaited<ReturnType<typeof loader>>

/** The platform layout's route ids: /p/<slug>/… and the same pages at short paths on a platform's own
 * host (`routes/_host`, whose module re-exports the layout: app/routes/_host.tsx). */
export const PLATFORM_LAYOUT_IDS = ['routes/p.$slug', 'routes/_host'] as const

/** The layout's data, or undefined outside a platform's pages (an error above the layout). */
export function usePlatformLayoutData(): PlatformLayoutData | undefined {
  const long = useRouteLoaderData<typeof loader>(PLATFORM_LAYOUT_IDS[0])
  const short = useRouteLoaderData<typeof loader>(PLATFORM_LAYOUT_IDS[1])
  return long ?? short
}

/** The current platform and what the signed-in user may do on it (from the layout route). `base` is
 * the prefix of this platform's paths ('' on its own host), `home` its home page. */
export function usePlatformLayout() {
  const data = usePlatformLayoutData()
  if (!data) throw new Error('usePlatformLayout outside /p/$slug')
  return data
}
