/** Figures the benchmarks share: medians of rounds, percentiles of samples and of autocannon runs. */
import type autocannon from 'autocannon'

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The 95th percentile of raw samples (nearest rank). */
export const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!

/** autocannon reports p90 and p97.5; p95 is interpolated between them. */
export function autocannonP95(r: autocannon.Result) {
  return r.latency.p90 + (r.latency.p97_5 - r.latency.p90) * ((95 - 90) / (97.5 - 90))
}
