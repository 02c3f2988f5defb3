/** Figures the benchmarks share: medians of rounds and percentiles of samples. */

/** The median: the middle value, or the mean of the two middle ones. */
export function median(xs: number[]) {
  if (!xs.length) throw new Error('median of no values: a measurement is missing')
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** A percentile of raw samples (nearest rank). */
export function percentile(xs: number[], pct: number) {
  if (!xs.length) throw new Error(`p${pct} of no samples: a measurement is missing`)
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((s.length * pct) / 100) - 1))]!
}

/** The 95th percentile of raw samples (nearest rank). */
export const p95 = (xs: number[]) => percentile(xs, 95)
