/** The provider's prices for one resource: add or change a price per kind of licence, stop selling one. */
import { useFetcher, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { CsrfInput } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { formatFen, LICENCE_SCOPES, LICENCE_TERMS, LICENCE_USES } from '~/lib/market-codes.ts'
import { OfferTerms, type Offer } from './buy-panel.tsx'

type Result = { ok: boolean; error?: string; fields?: Record<string, string> }

export function OfferEditor(props: { base: string; resourceId: string; offers: Offer[]; sellerReady: boolean }) {
  const t = useT()
  const save = useFetcher<Result>()
  const retire = useFetcher<Result>()
  const revalidator = useRevalidator()
  useEffect(() => {
    if (save.data?.ok || retire.data?.ok) revalidator.revalidate()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.data, retire.data])
  const err = (f: string) => save.data?.fields?.[f]
  return (
    <section className="card" data-testid="offer-editor">
      <h2>{t('market.editor.title')}</h2>
      {!props.sellerReady && (
        <p className="alert">
          {t('market.editor.notReady')} <a href={`${props.base}/sales`}>{t('market.editor.onboard')}</a>
        </p>
      )}
      <ul className="offers">
        {props.offers.map((o) => (
          <li key={o.id} className="offer">
            <div>
              <OfferTerms offer={o} />
            </div>
            <div className="offer-buy">
              <span className="price">{formatFen(o.priceFen)}</span>
              <retire.Form method="post" action={`${props.base}/api/market`}>
                <CsrfInput />
                <input type="hidden" name="intent" value="retireOffer" />
                <input type="hidden" name="offerId" value={o.id} />
                <button type="submit" className="button small button-secondary">
                  {t('market.editor.retire')}
                </button>
              </retire.Form>
            </div>
          </li>
        ))}
      </ul>
      <save.Form method="post" action={`${props.base}/api/market`} className="offer-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="setOffer" />
        <input type="hidden" name="resourceId" value={props.resourceId} />
        <label>
          {t('market.editor.scope')}
          <select name="scope" defaultValue="PERSONAL">
            {LICENCE_SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`market.scope.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('market.editor.term')}
          <select name="term" defaultValue="PERPETUAL">
            {LICENCE_TERMS.map((s) => (
              <option key={s} value={s}>
                {t(`market.term.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('market.editor.seats')}
          <input name="seats" inputMode="numeric" maxLength={7} aria-invalid={!!err('seats')} />
          {err('seats') && <span className="field-error">{err('seats')}</span>}
        </label>
        <label>
          {t('market.editor.price')}
          <input name="price" inputMode="decimal" maxLength={12} required aria-invalid={!!err('price')} />
          {err('price') && <span className="field-error">{err('price')}</span>}
        </label>
        <fieldset>
          <legend>{t('market.termsTitle')}</legend>
          {LICENCE_USES.map((u) => (
            <label key={u} className="inline">
              <input type="checkbox" name="uses" value={u} defaultChecked={u === 'CLASSROOM'} />{' '}
              {t(`market.use.${u}` as MessageKey)}
            </label>
          ))}
          {err('uses') && <span className="field-error">{err('uses')}</span>}
        </fieldset>
        <button type="submit" className="button" disabled={save.state !== 'idle'}>
          {t('market.editor.save')}
        </button>
        {save.data?.ok === false && !save.data.fields?.price && (
          <p className="alert alert-error" role="alert">
            {save.data.error}
          </p>
        )}
        <p className="muted small">{t('market.editor.hint')}</p>
      </save.Form>
    </section>
  )
}
