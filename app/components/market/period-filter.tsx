/** The books' period (Beijing days, both included) with the CSV export of the same period beside it. */
import { Form, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '~/components/i18n.tsx'

export function PeriodFilter(props: { period: { from: string; to: string }; csvHref: string; children?: ReactNode }) {
  const t = useT()
  const location = useLocation()
  return (
    <Form method="get" className="admin-filters">
      <label>
        {t('audit.from')} <input type="date" name="from" defaultValue={props.period.from} />
      </label>
      <label>
        {t('audit.to')} <input type="date" name="to" defaultValue={props.period.to} />
      </label>
      <button type="submit" className="button small">
        {t('audit.filter')}
      </button>
      <a className="button small button-secondary" href={`${props.csvHref}${location.search}`} download>
        {t('market.books.export')}
      </a>
      {props.children}
    </Form>
  )
}
