/**
 * 我的销售: a provider's payout account (Stripe Connect onboarding and its state, as Stripe reports
 * it) and sales by period — amounts, fees, refunds and net earnings from the ledger — as CSV too.
 */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { StepError, useStripeStep } from '~/components/market/go-to-stripe.tsx'
import { PeriodFilter } from '~/components/market/period-filter.tsx'
import { CsrfInput } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formatDateTime } from '~/lib/dates.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { formatFen } from '~/lib/market-codes.ts'
import { periodFrom } from '~/lib/period.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { providerSales } from '~/services/market/providers.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const url = new URL(request.url)
  const period = periodFrom(url.searchParams)
  const sales = await providerSales(actor, platform, period, {
    refresh: url.searchParams.get('onboarding') === 'done',
  }).catch(throwAsResponse)
  return {
    account: sales.account && {
      chargesEnabled: sales.account.chargesEnabled,
      payoutsEnabled: sales.account.payoutsEnabled,
      detailsSubmitted: sales.account.detailsSubmitted,
    },
    rows: sales.rows.map((r) => ({ ...r, paidAt: r.paidAt?.toISOString() ?? null })),
    totals: sales.totals,
    period: { from: period.fromDay, to: period.toDay },
    returned: url.searchParams.get('onboarding'),
    base: platformLinks(context, platform).base,
  }
}

function Onboard({ base, again }: { base: string; again: boolean }) {
  const t = useT()
  const { fetcher, busy, error } = useStripeStep()
  return (
    <fetcher.Form method="post" action={`${base}/api/market`} data-testid="onboard">
      <CsrfInput />
      <input type="hidden" name="intent" value="onboard" />
      <button type="submit" className="button" disabled={busy}>
        {t(again ? 'market.sales.continueOnboarding' : 'market.sales.onboard')}
      </button>
      <StepError error={error} />
    </fetcher.Form>
  )
}

export default function Sales() {
  const t = useT()
  const { account, rows, totals, period, base, returned } = useLoaderData<typeof loader>()
  return (
    <section data-testid="sales">
      <h1>{t('market.sales.title')}</h1>
      <div className="card" data-testid="payout-account">
        <h2>{t('market.sales.account')}</h2>
        {account?.chargesEnabled ? (
          <p className="alert alert-ok">
            {t(account.payoutsEnabled ? 'market.sales.ready' : 'market.sales.chargesOnly')}
          </p>
        ) : (
          <>
            <p className="muted">
              {t(account?.detailsSubmitted || returned === 'done' ? 'market.sales.checking' : 'market.sales.notReady')}
            </p>
            <Onboard base={base} again={!!account} />
          </>
        )}
      </div>
      <PeriodFilter period={period} csvHref={`${base}/sales.csv`} />
      <dl className="facts totals" data-testid="sales-totals">
        <dt>{t('market.sales.sales')}</dt>
        <dd>{formatFen(totals.sales)}</dd>
        <dt>{t('market.books.fee')}</dt>
        <dd>{formatFen(totals.fees)}</dd>
        <dt>{t('market.books.refunded')}</dt>
        <dd>{formatFen(totals.refunds)}</dd>
        <dt>{t('market.sales.net')}</dt>
        <dd>{formatFen(totals.net)}</dd>
      </dl>
      {rows.length === 0 ? (
        <p className="empty">{t('market.books.noOrders')}</p>
      ) : (
        <table className="table table-cards">
          <thead>
            <tr>
              <th>{t('market.receipt.number')}</th>
              <th>{t('market.orders.what')}</th>
              <th>{t('market.receipt.total')}</th>
              <th>{t('market.books.fee')}</th>
              <th>{t('market.books.refunded')}</th>
              <th>{t('market.sales.net')}</th>
              <th>{t('market.receipt.paidAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td data-label={t('market.receipt.number')}>
                  <Link to={`${base}/orders/${r.id}`}>{r.number}</Link>
                </td>
                <td data-label={t('market.orders.what')}>{r.items.map((i) => i.title).join('、')}</td>
                <td data-label={t('market.receipt.total')}>{formatFen(r.amountFen)}</td>
                <td data-label={t('market.books.fee')}>{formatFen(r.feeNet)}</td>
                <td data-label={t('market.books.refunded')}>{formatFen(r.refundedFen)}</td>
                <td data-label={t('market.sales.net')}>{formatFen(r.net)}</td>
                <td data-label={t('market.receipt.paidAt')}>{r.paidAt ? formatDateTime(r.paidAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
