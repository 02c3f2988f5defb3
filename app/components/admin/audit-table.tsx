import { Link } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'

export type AuditRowView = {
  id: string
  at: string
  time: string
  actionName: string
  action: string
  actorName: string
  platformName: string
  targetTypeName: string
  target: { label: string; href: string | null } | null
  details: string[]
}

/** The audit trail in words (services/platform/audit-words.server.ts); on a phone each entry is a card. */
export function AuditTable({ rows, showPlatform = true }: { rows: AuditRowView[]; showPlatform?: boolean }) {
  const t = useT()
  return (
    <div className="table-wrap">
      <table className="table-cards audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('admin.audit.col.time')}</th>
            <th>{t('admin.col.action')}</th>
            <th>{t('admin.col.actor')}</th>
            {showPlatform ? <th>{t('audit.col.platform')}</th> : null}
            <th>{t('audit.col.target')}</th>
            <th>{t('audit.col.data')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action}>
              <td className="small cell-time" data-label={t('admin.audit.col.time')}>
                <time dateTime={r.at} data-testid="audit-time">
                  {r.time}
                </time>
              </td>
              <td className="cell-action" data-label={t('admin.col.action')} data-testid="audit-action">
                {r.actionName}
              </td>
              <td data-label={t('admin.col.actor')}>{r.actorName || '—'}</td>
              {showPlatform ? (
                <td className="small" data-label={t('audit.col.platform')}>
                  {r.platformName}
                </td>
              ) : null}
              <td data-label={t('audit.col.target')} data-testid="audit-target">
                {r.target ? (
                  <>
                    <span className="muted small">{r.targetTypeName} </span>
                    {r.target.href ? <Link to={r.target.href}>{r.target.label}</Link> : r.target.label}
                  </>
                ) : r.targetTypeName ? (
                  <span className="muted small">{r.targetTypeName}</span>
                ) : (
                  '—'
                )}
              </td>
              <td className="small cell-details" data-label={t('audit.col.data')} data-testid="audit-details">
                {r.details.length ? (
                  <ul className="admin-plain">
                    {r.details.map((d, i) => (
                      <li key={i}>{d}</li>
                    ))}
                  </ul>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
