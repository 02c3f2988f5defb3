/** GET /p/:slug/audit.csv — the filtered audit trail as CSV, streamed. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatformPermission } from '~/lib/platform.server.ts'
import { auditCsv } from '~/services/platform/audit-query.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.audit.read')
  const sp = new URL(request.url).searchParams
  const t = translator(getLocale(request))
  const headers = [
    t('audit.col.id'),
    t('admin.col.time'),
    t('admin.col.action'),
    t('admin.col.actor'),
    t('audit.col.actorId'),
    t('audit.col.platform'),
    t('audit.col.targetType'),
    t('audit.target'),
    t('audit.col.ip'),
    t('audit.col.data'),
  ]
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
  const name = `audit-${platform.slug}-${new Date().toISOString().slice(0, 10)}.csv`
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}
