/**
 * A marketplace step that continues on Stripe's own pages (Checkout, Connect onboarding): the form
 * posts with a fetcher, the answer names the address, and the browser goes there. (A form whose
 * answer redirected to another site would be stopped by our CSP's form-action 'self'.)
 */
import { useFetcher } from '@remix-run/react'
import { useEffect } from 'react'

export type StripeStep = { ok: true; url: string } | { ok: false; error: string }

export function useStripeStep() {
  const fetcher = useFetcher<StripeStep>()
  useEffect(() => {
    if (fetcher.data?.ok) window.location.assign(fetcher.data.url)
  }, [fetcher.data])
  return {
    fetcher,
    busy: fetcher.state !== 'idle' || fetcher.data?.ok === true,
    error: fetcher.data?.ok === false ? fetcher.data.error : null,
  }
}

export function StepError({ error }: { error: string | null }) {
  return error ? (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  ) : null
}
