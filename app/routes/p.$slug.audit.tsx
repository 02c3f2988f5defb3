/** 审计日志: the platform's trail (and its sub-platforms'), for its admins and its regulator, in
 * words: action names, objects by title with links, details as "field: before → after", Beijing time. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { AuditTable } from '~/components/admin/audit-table.tsx'
import { useT } from '~/components/i18n.tsx'
import { throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { linkHere, requirePlatformPermission } from '~/lib/platform.server.ts'
import { AUDIT_GROUPS, forPage, queryAuditLog } from '~/services/platform/audit-query.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.audit.read')
  const sp = new URL(request.url).searchParams
  const filters = {
    group: sp.get('group'),
    actor: sp.get('actor'),
    target: sp.get('target'),
    from: sp.get('from'),
    to: sp.get('to'),
    before: sp.get('before'),
  }
  const page = await queryAuditLog(actor, platform.id, filters, 50, getLocale(request)).catch(throwAsResponse)
  return {
    page: { next: page.next, rows: forPage(page.rows, linkHere(context, platform)) },
    filters,
    groups: [...AUDIT_GROUPS],
  }
}

export default function Audit() {
  const t = useT()
  const { page, filters, groups } = useLoaderData<typeof loader>()
  const location = useLocation()
  const qs = new URLSearchParams(location.search)
  qs.delete('before')
  const next = new URLSearchParams(qs)
  if (page.next) next.set('before', page.next)
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p className="muted small">{t('admin.audit.timeNote')}</p>
      <Form method="get" className="admin-filters" data-testid="audit-filters">
        <select name="group" defaultValue={filters.group ?? ''} aria-label={t('admin.col.action')}>
          <option value="">{t('audit.group.all')}</option>
          {groups.map((g) => (
            <option key={g} value={g}>
              {t(`audit.group.${g}` as MessageKey)}
            </option>
          ))}
        </select>
        <input
          name="actor"
          defaultValue={filters.actor ?? ''}
          placeholder={t('audit.actor')}
          aria-label={t('audit.actor')}
          maxLength={40}
        />
        <input
          name="target"
          defaultValue={filters.target ?? ''}
          placeholder={t('audit.target')}
          aria-label={t('audit.target')}
          maxLength={40}
        />
        <label>
          {t('audit.from')} <input type="date" name="from" defaultValue={filters.from ?? ''} />
        </label>
        <label>
          {t('audit.to')} <input type="date" name="to" defaultValue={filters.to ?? ''} />
        </label>
        <button type="submit" className="button small">
          {t('audit.filter')}
        </button>
        <a
          className="button small button-secondary"
          href={`${location.pathname}.csv?${qs}`}
          data-testid="audit-export"
          download
        >
          {t('audit.export')}
        </a>
      </Form>
      {page.rows.length === 0 ? <p className="empty">{t('audit.empty')}</p> : <AuditTable rows={page.rows} />}
      {page.next && (
        <p>
          <Link to={`?${next}`}>{t('audit.more')}</Link>
        </p>
      )}
    </section>
  )
}
