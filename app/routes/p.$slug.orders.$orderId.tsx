/**
 * One order: where Stripe Checkout sends the buyer back. While the payment is on its way
 * (等待支付确认: Alipay and WeChat Pay confirm after the buyer has left the payment page) the page
 * looks again every few seconds; the licence comes only with Stripe's signed webhook. Once paid:
 * what the licence covers, the receipt as a PDF, and the 发票 request.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { OfferTerms } from '~/components/market/buy-panel.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { formatDate, formatDateTime } from '~/lib/dates.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { formatFen } from '~/lib/market-codes.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { requestInvoice } from '~/services/market/invoices.server.ts'
import { orderForViewer } from '~/services/market/orders.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const order = await orderForViewer(actor, params.orderId ?? '').catch(throwAsResponse)
  return { order, base: platformLinks(context, platform).base }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  return runAction(async () => {
    await requestInvoice(actor, params.orderId ?? '', {
      title: formString(form, 'title', 200),
      taxNumber: formString(form, 'taxNumber', 40),
      address: formString(form, 'address', 400),
      bank: formString(form, 'bank', 400),
    })
    return { ok: true as const, message: 'market.invoice.requested' as const }
  })
}

const WAITING = new Set(['PENDING', 'AWAITING_PAYMENT'])

export default function OrderPage() {
  const t = useT()
  const { order, base } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const revalidator = useRevalidator()
  const waiting = WAITING.has(order.status)
  useEffect(() => {
    if (!waiting) return
    const id = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 3_000)
    return () => clearInterval(id)
  }, [waiting, revalidator])
  const paid = order.status === 'PAID' || order.status === 'PARTIALLY_REFUNDED'
  return (
    <section className="order-page" data-testid="order" data-status={order.status}>
      <h1>{t('market.order.title', { number: order.number })}</h1>
      <p
        className={`alert ${paid ? 'alert-ok' : order.status === 'FAILED' ? 'alert-error' : ''}`}
        data-testid="order-status"
      >
        <strong>{t(`market.order.${order.status}`)}</strong> · {t(`market.order.hint.${order.status}` as MessageKey)}
      </p>
      {order.disputeStatus && order.disputeStatus !== 'won' && (
        <p className="alert alert-error">{t('market.order.disputed')}</p>
      )}
      {order.checkoutUrl && (
        <p>
          <a className="button" href={order.checkoutUrl}>
            {t('market.order.continuePayment')}
          </a>
        </p>
      )}
      <dl className="facts">
        <dt>{t('market.receipt.total')}</dt>
        <dd>{formatFen(order.amountFen)}</dd>
        {order.refundedFen > 0 && (
          <>
            <dt>{t('market.receipt.refunded')}</dt>
            <dd>{formatFen(order.refundedFen)}</dd>
          </>
        )}
        <dt>{t('market.receipt.seller')}</dt>
        <dd>{order.seller.displayName}</dd>
        <dt>{t('market.orders.when')}</dt>
        <dd>{formatDateTime(order.createdAt)}</dd>
        {order.paidAt && (
          <>
            <dt>{t('market.receipt.paidAt')}</dt>
            <dd>{formatDateTime(order.paidAt)}</dd>
          </>
        )}
        {order.paymentMethod && (
          <>
            <dt>{t('market.receipt.method')}</dt>
            <dd>{t(`market.method.${order.paymentMethod}` as MessageKey)}</dd>
          </>
        )}
      </dl>
      <ul className="offers">
        {order.items.map((it) => (
          <li key={it.id} className="offer" data-testid="order-item">
            <div>
              <p>{it.resourceIds[0] ? <a href={`${base}/r/${it.resourceIds[0]}`}>{it.title}</a> : it.title}</p>
              <OfferTerms offer={{ ...it, id: it.id }} />
              {it.licence && (
                <p className="muted small" data-testid="licence-state">
                  {t(`market.licence.${it.licence.status}`)}
                  {it.licence.holderPlatform && (
                    <>
                      {' '}
                      · {t('market.licensee')} {it.licence.holderPlatform.name}
                    </>
                  )}
                  {it.licence.endsAt && <> · {t('market.validUntil', { date: formatDate(it.licence.endsAt) })}</>}
                </p>
              )}
            </div>
            <span className="price">{formatFen(it.priceFen)}</span>
          </li>
        ))}
      </ul>
      {paid && (
        <p>
          <a className="button button-secondary" href={`${base}/orders/${order.id}/receipt`} download>
            {t('market.receipt.download')}
          </a>
        </p>
      )}
      {order.isBuyer && paid && !order.invoice && (
        <Form method="post" className="card" data-testid="invoice-form">
          <h2>{t('market.invoice.title')}</h2>
          <FormMessage result={result} />
          <CsrfInput />
          <Field name="title" label="market.invoice.company" result={result} required maxLength={100} />
          <Field name="taxNumber" label="market.invoice.taxNumber" result={result} required maxLength={24} />
          <Field name="address" label="market.invoice.address" result={result} maxLength={200} />
          <Field name="bank" label="market.invoice.bank" result={result} maxLength={200} />
          <button type="submit" className="button">
            {t('market.invoice.submit')}
          </button>
        </Form>
      )}
      {order.invoice && (
        <p className="alert" data-testid="invoice-state">
          {order.invoice.status === 'ISSUED'
            ? t('market.invoice.issued', { number: order.invoice.invoiceNumber ?? '' })
            : t('market.invoice.waiting', { title: order.invoice.title })}
        </p>
      )}
    </section>
  )
}
