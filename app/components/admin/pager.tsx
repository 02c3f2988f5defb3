import { Link, useLocation } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'

/** 上一页 / 第 2 / 5 页 / 下一页, keeping the page's other query parameters (its filters).
 * `param` names the page parameter, `hash` the part of the page to come back to, `drop` the
 * parameters that say something once (a receipt) and are not carried to the next page. */
export function Pager({
  page,
  pages,
  param = 'page',
  hash = '',
  drop = [],
}: {
  page: number
  pages: number
  param?: string
  hash?: string
  drop?: string[]
}) {
  const t = useT()
  const location = useLocation()
  if (pages <= 1) return null
  const to = (n: number) => {
    const qs = new URLSearchParams(location.search)
    for (const d of drop) qs.delete(d)
    if (n <= 1) qs.delete(param)
    else qs.set(param, String(n))
    const s = qs.toString()
    return `${location.pathname}${s ? `?${s}` : ''}${hash}`
  }
  return (
    <nav className="pager" aria-label={t('admin.pager.label')}>
      {page > 1 ? (
        <Link to={to(page - 1)} rel="prev" preventScrollReset>
          ← {t('admin.pager.prev')}
        </Link>
      ) : (
        <span className="muted">← {t('admin.pager.prev')}</span>
      )}
      <span>{t('admin.pager.status', { page, pages })}</span>
      {page < pages ? (
        <Link to={to(page + 1)} rel="next" preventScrollReset>
          {t('admin.pager.next')} →
        </Link>
      ) : (
        <span className="muted">{t('admin.pager.next')} →</span>
      )}
    </nav>
  )
}
