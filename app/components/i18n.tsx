import { useRouteLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { DEFAULT_LOCALE, translator, type Locale } from '~/lib/i18n/index.ts'

type RootData = { locale: Locale }

export function useLocale(): Locale {
  return useRouteLoaderData<RootData>('root')?.locale ?? DEFAULT_LOCALE
}

/** `const t = useT(); t('nav.home')`. Falls back to Chinese when the root data is missing
 * (e.g. inside the root error boundary). */
export function useT() {
  const locale = useLocale()
  return useMemo(() => translator(locale), [locale])
}
