/** Renders text with search-match markers as <mark> elements, never as HTML from the index. */
const START = '\u0002'
const END = '\u0003'

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

/** "4.5 ★ (12)" or nothing for an unrated resource. */
export function Stars({ rating, count, label }: { rating: number; count: number; label: string }) {
  if (!count) return null
  return (
    <span className="stars" title={label}>
      {'★'.repeat(Math.round(rating))}
      <span className="stars-off">{'★'.repeat(5 - Math.round(rating))}</span> {rating.toFixed(1)} ({count})
    </span>
  )
}

export function yuan(cents: number) {
  return `¥${(cents / 100).toFixed(cents % 100 ? 2 : 0)}`
}
