/**
 * A premium resource's 购买授权 panel: the licences on offer with their terms (shown before
 * purchase and kept with the order), who the viewer may buy for, why they may already use it, a
 * payment on its way; and for the provider, the prices (offer-editor.tsx).
 */
import { useFetcher } from '@remix-run/react'
import { StepError, useStripeStep } from './go-to-stripe.tsx'
import { CsrfInput } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formatDate } from '~/lib/dates.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { formatFen, type LicenceScopeCode } from '~/lib/market-codes.ts'

export type Offer = { id: string; scope: string; term: string; seats: number | null; priceFen: number; uses: string[] }
export type MarketPanelData = {
  offers: Offer[]
  isSeller: boolean
  sellerReady: boolean
  coverage: { scope: string; seat: boolean; holderName: string; orderNumber: string; endsAt: string | null } | null
  buyFor: { id: string; name: string; scope: string }[]
  pending: { id: string; status: string } | null
}

export function OfferTerms({ offer }: { offer: Offer }) {
  const t = useT()
  return (
    <>
      <strong>{t(`market.scope.${offer.scope as LicenceScopeCode}`)}</strong> ·{' '}
      {t(`market.term.${offer.term as 'PERPETUAL'}`)}
      {offer.scope === 'SCHOOL' && (
        <> · {offer.seats ? t('market.seats', { n: offer.seats }) : t('market.wholeSchool')}</>
      )}
      <ul className="terms" aria-label={t('market.termsTitle')}>
        {offer.uses.map((u) => (
          <li key={u}>{t(`market.use.${u}` as MessageKey)}</li>
        ))}
      </ul>
    </>
  )
}

function BuyForm({
  offer,
  base,
  buyFor,
  disabled,
}: {
  offer: Offer
  base: string
  buyFor: MarketPanelData['buyFor']
  disabled: boolean
}) {
  const t = useT()
  // Stripe Checkout is another site: the browser goes there, and comes back to the order page.
  const { fetcher, busy, error } = useStripeStep()
  const targets = buyFor.filter((b) => b.scope === offer.scope)
  const personal = offer.scope === 'PERSONAL'
  if (!personal && !targets.length) return null
  return (
    <fetcher.Form method="post" action={`${base}/api/market`} className="buy-form" data-testid={`buy-${offer.scope}`}>
      <CsrfInput />
      <input type="hidden" name="intent" value="buy" />
      <input type="hidden" name="offerId" value={offer.id} />
      {!personal && (
        <label>
          {t('market.licensee')}{' '}
          <select name="licensee" defaultValue={targets[0]!.id}>
            {targets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="button" disabled={disabled || busy}>
        {busy
          ? t('market.redirecting')
          : personal
            ? t('market.buy')
            : t(offer.scope === 'SCHOOL' ? 'market.buyForSchool' : 'market.buyForRegion')}
      </button>
      <StepError error={error} />
    </fetcher.Form>
  )
}

function AskSchool({ base, resourceId }: { base: string; resourceId: string }) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  return (
    <fetcher.Form method="post" action={`${base}/api/market`} data-testid="ask-school">
      <CsrfInput />
      <input type="hidden" name="intent" value="askSchool" />
      <input type="hidden" name="resourceId" value={resourceId} />
      <button
        type="submit"
        className="button button-secondary"
        disabled={fetcher.state !== 'idle' || !!fetcher.data?.ok}
      >
        {t('market.askSchool')}
      </button>
      {fetcher.data?.ok && (
        <p className="alert alert-ok" role="status">
          {t('market.askSchoolSent')}
        </p>
      )}
      {fetcher.data?.ok === false && (
        <p className="alert alert-error" role="alert">
          {fetcher.data.error}
        </p>
      )}
    </fetcher.Form>
  )
}

export function BuyPanel(props: {
  data: MarketPanelData
  base: string
  resourceId: string
  signedIn: boolean
  loginHref: string
  isTeacher: boolean
}) {
  const t = useT()
  const { data, base } = props
  const c = data.coverage
  return (
    <section className="card buy-panel" data-testid="buy-panel">
      <h2>{t('market.panel.title')}</h2>
      {c && (
        <p className="alert alert-ok" data-testid="licence-why">
          {t(c.seat ? 'market.covered.SEAT' : (`market.covered.${c.scope}` as 'market.covered.PERSONAL'), {
            holder: c.holderName,
            order: c.orderNumber,
          })}
          {c.endsAt && <> · {t('market.validUntil', { date: formatDate(c.endsAt) })}</>}
        </p>
      )}
      {data.pending && (
        <p className="alert" data-testid="order-pending">
          {t(data.pending.status === 'AWAITING_PAYMENT' ? 'market.order.AWAITING_PAYMENT' : 'market.pendingCheckout')}{' '}
          <a href={`${base}/orders/${data.pending.id}`}>{t('market.viewOrder')}</a>
        </p>
      )}
      {!data.offers.length && <p className="muted">{t('market.noOffers')}</p>}
      {data.offers.length > 0 && !data.sellerReady && <p className="muted">{t('market.error.sellerNotReady')}</p>}
      <ul className="offers">
        {data.offers.map((o) => (
          <li key={o.id} className="offer" data-testid="offer">
            <div>
              <OfferTerms offer={o} />
            </div>
            <div className="offer-buy">
              <span className="price">{formatFen(o.priceFen)}</span>
              {props.signedIn && !data.isSeller && (
                <BuyForm
                  offer={o}
                  base={base}
                  buyFor={data.buyFor}
                  disabled={!data.sellerReady || (!!c && o.scope === 'PERSONAL')}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
      {!props.signedIn && data.offers.length > 0 && (
        <p>
          <a className="button" href={props.loginHref}>
            {t('market.signInToBuy')}
          </a>
        </p>
      )}
      {props.signedIn &&
        props.isTeacher &&
        !c &&
        !data.buyFor.some((b) => b.scope === 'SCHOOL') &&
        data.offers.some((o) => o.scope === 'SCHOOL') && <AskSchool base={base} resourceId={props.resourceId} />}
      <p className="muted small">{t('market.termsNote')}</p>
    </section>
  )
}
