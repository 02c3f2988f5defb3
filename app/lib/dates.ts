/**
 * The one way dates are shown and read in the product: Beijing time (UTC+8, no daylight saving
 * since 1991), one format, whatever the server's or the browser's time zone and locale.
 *
 *   formatDateTime(d)                  2026-12-01 19:05
 *   formatDateTime(d, { seconds: true }) 2026-12-01 19:05:32   (audit trail, CSV export)
 *   formatDate(d)                      2026-12-01
 *
 * Done by arithmetic rather than `Intl`/`toLocaleString`: the server and the browser then print
 * exactly the same characters (no hydration mismatch between two ICU versions), and a page
 * rendered on a machine set to UTC still shows Beijing time. Shared by server and browser code.
 */

const OFFSET_MS = 8 * 3600_000

export type DateInput = Date | string | number

function toDate(d: DateInput): Date | null {
  const date = d instanceof Date ? d : new Date(d)
  return Number.isNaN(date.getTime()) ? null : date
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The calendar fields of an instant in Beijing time. */
export function beijingParts(d: DateInput) {
  const date = toDate(d)
  if (!date) return null
  const b = new Date(date.getTime() + OFFSET_MS)
  return {
    year: b.getUTCFullYear(),
    month: b.getUTCMonth() + 1,
    day: b.getUTCDate(),
    hour: b.getUTCHours(),
    minute: b.getUTCMinutes(),
    second: b.getUTCSeconds(),
  }
}

/** `2026-12-01`: the Beijing calendar day of an instant ('' for an invalid date). */
export function formatDate(d: DateInput): string {
  const p = beijingParts(d)
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : ''
}

/** `2026-12-01 19:05` (or `… 19:05:32` with seconds), Beijing time ('' for an invalid date). */
export function formatDateTime(d: DateInput, opts: { seconds?: boolean } = {}): string {
  const p = beijingParts(d)
  if (!p) return ''
  const time = `${pad(p.hour)}:${pad(p.minute)}${opts.seconds ? `:${pad(p.second)}` : ''}`
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${time}`
}

/** The first instant of a Beijing calendar day given as `YYYY-MM-DD` (e.g. a date filter), or
 * null when the text is not such a day. */
export function beijingDayStart(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const utc = Date.UTC(y, mo - 1, d)
  const check = new Date(utc)
  // 2026-02-30 is not a day (Date.UTC would roll it over to March).
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
  return new Date(utc - OFFSET_MS)
}
