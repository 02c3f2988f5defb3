/** GET /p/:slug/orders/:orderId/receipt — the order's receipt as a PDF (buyer, operator, regulator). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { orderForViewer } from '~/services/market/orders.server.ts'
import { receiptPdf } from '~/services/market/receipt.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const order = await orderForViewer(actor, params.orderId ?? '').catch(throwAsResponse)
  if (order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED' && order.status !== 'REFUNDED')
    throw new Response('market.error.invoiceNotPaid', { status: 409 })
  const pdf = await receiptPdf(order)
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`${translator(getLocale(request))('market.receipt.title')}-${order.number}.pdf`)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
