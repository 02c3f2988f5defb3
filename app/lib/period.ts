/**
 * A period of Beijing calendar days from a page's `from` and `to` (YYYY-MM-DD, both included),
 * for the marketplace's books; by default the current month. Shared by server and browser.
 */
import { beijingDayStart, beijingParts, formatDate } from './dates.ts'

export type DayPeriod = { from: Date; to: Date; fromDay: string; toDay: string }

export function periodFrom(search: URLSearchParams, now = new Date()): DayPeriod {
  const p = beijingParts(now)!
  const monthStart = `${p.year}-${String(p.month).padStart(2, '0')}-01`
  const fromDay = search.get('from') ?? ''
  const toDay = search.get('to') ?? ''
  const from = beijingDayStart(fromDay) ?? beijingDayStart(monthStart)!
  const toStart = beijingDayStart(toDay)
  const to = toStart ? new Date(toStart.getTime() + 24 * 3600_000) : new Date(now.getTime() + 24 * 3600_000)
  return { from, to, fromDay: formatDate(from), toDay: formatDate(new Date(to.getTime() - 1)) }
}
