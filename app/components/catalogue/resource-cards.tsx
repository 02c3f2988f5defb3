/** A row of small resource cards (picture, title, type, price): newest, related, featured. */
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'
import { yuan } from './marked.tsx'

export type CardItem = {
  id: string
  title: string
  type: string
  thumb: string | null
  premium?: boolean
  price?: number
}

export function ResourceCards({
  base,
  items,
  testId,
  extra,
}: {
  base: string
  items: CardItem[]
  testId?: string
  extra?: (item: CardItem) => ReactNode
}) {
  const t = useT()
  return (
    <ul className="related" data-testid={testId}>
      {items.map((r) => (
        <li key={r.id}>
          {r.thumb && <img src={r.thumb} alt="" loading="lazy" />}
          <Link to={`${base}/r/${r.id}`}>{r.title}</Link>
          <p className="muted small">
            {t(`resourceType.${r.type as 'COURSEWARE'}`)}
            {r.premium && r.price !== undefined && <> · {yuan(r.price)}</>}
          </p>
          {extra?.(r)}
        </li>
      ))}
    </ul>
  )
}
