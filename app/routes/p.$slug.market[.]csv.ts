/** GET /p/:slug/market.csv — the period's orders as CSV, for the operator and the regulator. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { csvResponse } from '~/lib/csv.ts'
import { formatDate, formatDateTime } from '~/lib/dates.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator, type MessageKey } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { periodFrom } from '~/lib/period.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { marketBooks } from '~/services/market/books.server.ts'

const yuan = (fen: number) => (fen / 100).toFixed(2)

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const period = periodFrom(new URL(request.url).searchParams)
  const { orders } = await marketBooks(actor, platform, period).catch(throwAsResponse)
  const t = translator(getLocale(request))
  const header = (
    [
      'number',
      'platform',
      'buyer',
      'seller',
      'what',
      'amount',
      'fee',
      'refunded',
      'status',
      'method',
      'created',
      'paid',
    ] as const
  ).map((c) => t(`market.csv.${c}`))
  const rows = orders.map((o) => [
    o.number,
    o.platform.name,
    o.buyer.displayName,
    o.seller.displayName,
    o.items.map((i) => `${i.title}（${t(`market.scope.${i.scope}`)}）`).join('、'),
    yuan(o.amountFen),
    yuan(o.feeFen),
    yuan(o.refundedFen),
    t(`market.order.${o.status}`),
    o.paymentMethod ? t(`market.method.${o.paymentMethod}` as MessageKey) : '',
    formatDateTime(o.createdAt, { seconds: true }),
    o.paidAt ? formatDateTime(o.paidAt, { seconds: true }) : '',
  ])
  return csvResponse(`orders-${platform.slug}-${period.fromDay}-${formatDate(new Date())}.csv`, header, rows)
}
