/** Small catalogue renderers: search-match marks, rating stars, prices. */
import { useT } from '../i18n.tsx'

const START = '\u0002'
const END = '\u0003'

/** Renders text with search-match markers as <mark> elements, never as HTML from the index. */
export function Marked({ text }: { text: string }) {
  const parts: React.ReactNode[] = []
  let rest = text
  let i = 0
  while (rest) {
    const s = rest.indexOf(START)
    if (s < 0) {
      parts.push(rest)
      break
    }
    const e = rest.indexOf(END, s)
    if (s > 0) parts.push(rest.slice(0, s))
    const inner = rest.slice(s + 1, e < 0 ? undefined : e)
    parts.push(<mark key={i++}>{inner}</mark>)
    rest = e < 0 ? '' : rest.slice(e + 1)
  }
  return <>{parts}</>
}

/**
 * How full each of the five stars is, from 0 to 1, for the average as it is printed (one
 * decimal): 4.6 → four full stars and one 60 % full, 4.25 → 4.3 → four and 30 %. Stars and the
 * number beside them can never disagree.
 */
export function starFills(rating: number): number[] {
  const shown = Math.round(Math.min(5, Math.max(0, Number.isFinite(rating) ? rating : 0)) * 10) / 10
  return [0, 1, 2, 3, 4].map((i) => Math.round(Math.min(1, Math.max(0, shown - i)) * 10) / 10)
}

const STAR_BOX: React.CSSProperties = { position: 'relative', display: 'inline-block' }
const STAR_FILL: React.CSSProperties = {
  position: 'absolute',
  left: 0,
  top: 0,
  overflow: 'hidden',
  whiteSpace: 'nowrap',
}

/** "★★★★☆ 4.6 (12)", the fifth star 60 % gold; nothing for an unrated resource. Screen readers
 * hear the average and the number of ratings instead of five symbols. */
export function Stars({ rating, count, label }: { rating: number; count: number; label: string }) {
  const t = useT()
  if (!count) return null
  const avg = (Math.round(rating * 10) / 10).toFixed(1)
  const spoken = t('engagement.ratingSummary', { avg, n: count })
  return (
    <span className="stars" title={label} role="img" aria-label={spoken} data-rating={avg}>
      {starFills(rating).map((fill, i) => (
        <span key={i} style={STAR_BOX} aria-hidden="true" data-fill={fill}>
          <span className="stars-off">★</span>
          {fill > 0 && <span style={{ ...STAR_FILL, width: `${fill * 100}%` }}>★</span>}
        </span>
      ))}{' '}
      <span aria-hidden="true">
        {avg} ({count})
      </span>
    </span>
  )
}

export function yuan(cents: number) {
  return `¥${(cents / 100).toFixed(cents % 100 ? 2 : 0)}`
}
