/** 遴选到专题 on the resource page, for the portal's reviewers and admins. */
import { useFetcher } from '@remix-run/react'
import { useT } from '../i18n.tsx'
import { CsrfInput } from '../form.tsx'

export function FeatureForm({
  action,
  collections,
}: {
  action: string
  collections: { id: string; title: string; holds: boolean }[]
}) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  const holding = collections.filter((c) => c.holds)
  return (
    <details className="card" data-testid="feature">
      <summary>{t('featured.select')}</summary>
      <p className="muted small">{t('featured.selectHint')}</p>
      {holding.length > 0 && (
        <p className="ok" data-testid="featured-in">
          {t('featured.selected', { names: holding.map((c) => c.title).join('、') })}
        </p>
      )}
      <fetcher.Form method="post" action={action} className="rating-form" key={collections.length}>
        <CsrfInput />
        <input type="hidden" name="intent" value="feature" />
        {collections.length > 0 && (
          <label>
            {t('featured.collection')}{' '}
            <select name="collectionId">
              {collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('featured.newTitle')}{' '}
          <input name="newTitle" maxLength={40} placeholder={t('featured.newTitlePlaceholder')} />
        </label>
        <button type="submit" className="button small" data-testid="feature-submit">
          {t('featured.select')}
        </button>
        {fetcher.data?.error && <span className="field-error"> {fetcher.data.error}</span>}
      </fetcher.Form>
    </details>
  )
}

/** Up, down and remove for a featured item, for the platform's curators (home page). */
export function ArrangeButtons({ action, collectionId }: { action: string; collectionId: string }) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  return (
    <fetcher.Form method="post" action={action} className="rating-form small">
      <CsrfInput />
      <input type="hidden" name="intent" value="arrange" />
      <input type="hidden" name="collectionId" value={collectionId} />
      {(['up', 'down', 'remove'] as const).map((op) => (
        <button key={op} type="submit" name="op" value={op} className="link-button small">
          {t(`featured.${op}`)}
        </button>
      ))}
    </fetcher.Form>
  )
}
