/** 审计日志: the platform's trail (and its sub-platforms'), for its admins and its regulator. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { throwAsResponse } from '~/lib/http.server.ts'
import { isMessageKey, type MessageKey } from '~/lib/i18n/index.ts'
import { requirePlatformPermission } from '~/lib/platform.server.ts'
import { AUDIT_GROUPS, queryAuditLog } from '~/services/platform/audit-query.server.ts'

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
  const page = await queryAuditLog(actor, platform.id, filters).catch(throwAsResponse)
  return { page, filters, groups: [...AUDIT_GROUPS] }
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
      <Form method="get" className="rating-form" data-testid="audit-filters">
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
        <a className="button small" href={`${location.pathname}.csv?${qs}`} data-testid="audit-export" download>
          {t('audit.export')}
        </a>
      </Form>
      {page.rows.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('admin.col.time')}</th>
                <th>{t('admin.col.action')}</th>
                <th>{t('admin.col.actor')}</th>
                <th>{t('audit.col.platform')}</th>
                <th>{t('audit.col.target')}</th>
                <th>{t('audit.col.data')}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id}>
                  <td className="small">{new Date(r.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</td>
                  <td>{isMessageKey(`audit.${r.action}`) ? t(`audit.${r.action}` as MessageKey) : r.action}</td>
                  <td>{r.actorName || '—'}</td>
                  <td className="small">{r.platformName}</td>
                  <td className="small">{r.targetType ? `${r.targetType} ${r.targetId ?? ''}` : ''}</td>
                  <td className="small" style={{ maxWidth: 320, overflowWrap: 'anywhere' }}>
                    {r.data.slice(0, 200)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.next && (
        <p>
          <Link to={`?${next}`}>{t('audit.more')}</Link>
        </p>
      )}
    </section>
  )
}
