/**
 * 交易管理: the trading operator's and the regulator's books for this platform and every platform
 * below it — totals from the ledger, orders (refunds by the operator), fee rates, invoice
 * requests, by period, exportable as CSV. The regulator sees the same and changes nothing (the
 * services refuse it; the page does not offer it).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { PeriodFilter } from '~/components/market/period-filter.tsx'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { formatDateTime } from '~/lib/dates.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { formatFen } from '~/lib/market-codes.ts'
import { periodFrom } from '~/lib/period.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { marketBooks, setFeeRate } from '~/services/market/books.server.ts'
import { issueInvoice } from '~/services/market/invoices.server.ts'
import { refundOrder } from '~/services/market/refunds.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const period = periodFrom(new URL(request.url).searchParams)
  const books = await marketBooks(actor, platform, period).catch(throwAsResponse)
  return { ...books, period: { from: period.fromDay, to: period.toDay }, base: platformLinks(context, platform).base }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  return runAction(async () => {
    switch (form.get('intent')) {
      case 'refund':
        await refundOrder(actor, formString(form, 'orderId', 40), {
          amount: formString(form, 'amount', 20),
          itemIds: form
            .getAll('itemIds')
            .filter((v): v is string => typeof v === 'string')
            .slice(0, 50),
          reason: formString(form, 'reason', 200),
        })
        return { ok: true as const, message: 'market.books.refundDone' as const }
      case 'feeRate':
        await setFeeRate(actor, formString(form, 'platformId', 40), formString(form, 'percent', 10))
        return { ok: true as const, message: 'market.books.feeSaved' as const }
      case 'invoice':
        await issueInvoice(actor, formString(form, 'invoiceId', 40), formString(form, 'invoiceNumber', 40))
        return { ok: true as const, message: 'market.books.invoiceIssued' as const }
      default:
        return { ok: false as const, formError: 'form.invalid' as const, fieldErrors: {} }
    }
  })
}

export default function MarketBooks() {
  const t = useT()
  const { orders, totals, invoices, platforms, canOperate, period, base } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <section data-testid="market-books">
      <h1>{t('market.books.title')}</h1>
      {!canOperate && <p className="alert">{t('market.books.readOnly')}</p>}
      <FormMessage result={result} />
      <PeriodFilter period={period} csvHref={`${base}/market.csv`}>
        <Link to={`${base}/audit?group=market`}>{t('audit.title')}</Link>
      </PeriodFilter>
      <dl className="facts totals" data-testid="market-totals">
        <dt>{t('market.books.paid')}</dt>
        <dd>{formatFen(totals.paid)}</dd>
        <dt>{t('market.books.refunded')}</dt>
        <dd>{formatFen(totals.refunded)}</dd>
        <dt>{t('market.books.disputed')}</dt>
        <dd>{formatFen(totals.disputed)}</dd>
        <dt>{t('market.books.fees')}</dt>
        <dd>{formatFen(totals.fees)}</dd>
        <dt>{t('market.books.providers')}</dt>
        <dd>{formatFen(totals.providers)}</dd>
      </dl>

      <h2>{t('market.books.orders')}</h2>
      {orders.length === 0 ? (
        <p className="empty">{t('market.books.noOrders')}</p>
      ) : (
        <table className="table table-cards" data-testid="market-orders">
          <thead>
            <tr>
              <th>{t('market.receipt.number')}</th>
              <th>{t('market.orders.what')}</th>
              <th>{t('market.receipt.buyer')}</th>
              <th>{t('market.receipt.total')}</th>
              <th>{t('market.books.fee')}</th>
              <th>{t('market.receipt.status')}</th>
              <th>{t('market.orders.when')}</th>
              {canOperate && <th>{t('market.books.refund')}</th>}
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} data-testid="market-order">
                <td data-label={t('market.receipt.number')}>
                  <Link to={`${base}/orders/${o.id}`}>{o.number}</Link>
                </td>
                <td data-label={t('market.orders.what')}>
                  {o.items.map((i) => i.title).join('、')}
                  <span className="muted small"> · {o.platform.name}</span>
                </td>
                <td data-label={t('market.receipt.buyer')}>{o.buyer.displayName}</td>
                <td data-label={t('market.receipt.total')}>
                  {formatFen(o.amountFen)}
                  {o.refundedFen > 0 && (
                    <span className="muted small">
                      {' '}
                      ({t('market.receipt.refunded')} {formatFen(o.refundedFen)})
                    </span>
                  )}
                </td>
                <td data-label={t('market.books.fee')}>{formatFen(o.feeFen)}</td>
                <td data-label={t('market.receipt.status')}>
                  {t(`market.order.${o.status}`)}
                  {o.disputeStatus && (
                    <span className="muted small"> · {t('market.books.dispute', { status: o.disputeStatus })}</span>
                  )}
                  {o.paymentMethod && (
                    <span className="muted small"> · {t(`market.method.${o.paymentMethod}` as MessageKey)}</span>
                  )}
                </td>
                <td data-label={t('market.orders.when')}>{formatDateTime(o.createdAt)}</td>
                {canOperate && (
                  <td data-label={t('market.books.refund')}>
                    {(o.status === 'PAID' || o.status === 'PARTIALLY_REFUNDED') && (
                      <Form method="post" className="stack small" data-testid="refund-form">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="refund" />
                        <input type="hidden" name="orderId" value={o.id} />
                        {o.items.length > 1 &&
                          o.items.map((i) => (
                            <label key={i.id} className="inline">
                              <input type="checkbox" name="itemIds" value={i.id} /> {i.title}
                            </label>
                          ))}
                        {o.items.length === 1 && <input type="hidden" name="itemIds" value={o.items[0]!.id} />}
                        <input
                          name="amount"
                          inputMode="decimal"
                          placeholder={t('market.books.refundAll')}
                          maxLength={12}
                        />
                        <input name="reason" placeholder={t('market.books.reason')} maxLength={200} />
                        <button type="submit" className="button small button-danger">
                          {t('market.books.refund')}
                        </button>
                      </Form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('market.books.invoices')}</h2>
      {invoices.length === 0 ? (
        <p className="empty">{t('market.books.noInvoices')}</p>
      ) : (
        <table className="table table-cards" data-testid="market-invoices">
          <tbody>
            {invoices.map((i) => (
              <tr key={i.id}>
                <td data-label={t('market.receipt.number')}>{i.order.number}</td>
                <td data-label={t('market.invoice.company')}>
                  {i.title} <span className="muted small">{i.taxNumber}</span>
                </td>
                <td data-label={t('market.receipt.total')}>{formatFen(i.order.amountFen - i.order.refundedFen)}</td>
                <td data-label={t('market.receipt.status')}>
                  {i.status === 'ISSUED' ? (
                    t('market.invoice.issued', { number: i.invoiceNumber ?? '' })
                  ) : canOperate ? (
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="invoice" />
                      <input type="hidden" name="invoiceId" value={i.id} />
                      <input
                        name="invoiceNumber"
                        placeholder={t('market.books.invoiceNumber')}
                        maxLength={30}
                        required
                      />
                      <button type="submit" className="button small">
                        {t('market.books.issue')}
                      </button>
                    </Form>
                  ) : (
                    t('market.books.invoicePending')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('market.books.feeRates')}</h2>
      <table className="table" data-testid="fee-rates">
        <tbody>
          {platforms.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>
                {canOperate ? (
                  <Form method="post" className="inline">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="feeRate" />
                    <input type="hidden" name="platformId" value={p.id} />
                    <input
                      name="percent"
                      defaultValue={String(p.feeRateBps / 100)}
                      inputMode="decimal"
                      size={5}
                      aria-label={t('market.books.feeRate')}
                    />{' '}
                    %
                    <button type="submit" className="button small">
                      {t('market.books.save')}
                    </button>
                  </Form>
                ) : (
                  `${p.feeRateBps / 100} %`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
