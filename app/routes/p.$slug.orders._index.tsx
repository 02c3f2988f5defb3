/** 我的订单: the buyer's orders, newest first. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { formatDateTime } from '~/lib/dates.ts'
import { formatFen } from '~/lib/market-codes.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { myOrders } from '~/services/market/orders.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return { orders: await myOrders(actor), base: platformLinks(context, platform).base }
}

export default function MyOrders() {
  const t = useT()
  const { orders, base } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>{t('market.orders.title')}</h1>
      {orders.length === 0 ? (
        <p className="empty">{t('market.orders.none')}</p>
      ) : (
        <table className="table table-cards" data-testid="my-orders">
          <thead>
            <tr>
              <th>{t('market.receipt.number')}</th>
              <th>{t('market.orders.what')}</th>
              <th>{t('market.receipt.total')}</th>
              <th>{t('market.receipt.status')}</th>
              <th>{t('market.orders.when')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td data-label={t('market.receipt.number')}>
                  <Link to={`${base}/orders/${o.id}`}>{o.number}</Link>
                </td>
                <td data-label={t('market.orders.what')}>
                  {o.items.map((i) => `${i.title}（${t(`market.scope.${i.scope}`)}）`).join('、')}
                </td>
                <td data-label={t('market.receipt.total')}>{formatFen(o.amountFen)}</td>
                <td data-label={t('market.receipt.status')}>{t(`market.order.${o.status}`)}</td>
                <td data-label={t('market.orders.when')}>{formatDateTime(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
