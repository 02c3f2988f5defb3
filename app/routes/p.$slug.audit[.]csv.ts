/** GET /p/:slug/audit.csv — the filtered audit trail as CSV, streamed. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatformPermission } from '~/lib/platform.server.ts'
import { formatDate } from '~/lib/dates.ts'
import { AUDIT_CSV_COLUMNS, auditCsv } from '~/services/platform/audit-query.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.audit.read')
  const sp = new URL(request.url).searchParams
  const locale = getLocale(request)
  const t = translator(locale)
  const headers = AUDIT_CSV_COLUMNS.map((c) => t(`admin.audit.csv.${c}`))
  const rows = auditCsv(
    actor,
    platform.id,
    {
      group: sp.get('group'),
      actor: sp.get('actor'),
      target: sp.get('target'),
      from: sp.get('from'),
      to: sp.get('to'),
    },
    headers,
    locale,
  )
  // The first chunk runs the permission check and the filter validation before headers go out.
  const first = await rows.next().catch(throwAsResponse)
  const encoder = new TextEncoder()
  const body = new ReadableStream({
    start(c) {
      if (!first.done) c.enqueue(encoder.encode(first.value))
    },
    async pull(c) {
      const n = await rows.next()
      if (n.done) c.close()
      else c.enqueue(encoder.encode(n.value))
    },
  })
  const name = `audit-${platform.slug}-${formatDate(new Date())}.csv`
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}
