/** GET /p/:slug/sales.csv — a provider's sales of the period as CSV. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { csvResponse } from '~/lib/csv.ts'
import { formatDateTime } from '~/lib/dates.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { periodFrom } from '~/lib/period.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { providerSales } from '~/services/market/providers.server.ts'

const yuan = (fen: number) => (fen / 100).toFixed(2)

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const period = periodFrom(new URL(request.url).searchParams)
  const { rows } = await providerSales(actor, platform, period).catch(throwAsResponse)
  const t = translator(getLocale(request))
  const header = [
    t('market.csv.number'),
    t('market.csv.what'),
    t('market.csv.amount'),
    t('market.csv.fee'),
    t('market.csv.refunded'),
    t('market.csv.net'),
    t('market.csv.paid'),
  ]
  return csvResponse(
    `sales-${period.fromDay}-${period.toDay}.csv`,
    header,
    rows.map((r) => [
      r.number,
      r.items.map((i) => i.title).join('、'),
      yuan(r.amountFen),
      yuan(r.feeNet),
      yuan(r.refundedFen),
      yuan(r.net),
      r.paidAt ? formatDateTime(r.paidAt, { seconds: true }) : '',
    ]),
  )
}
