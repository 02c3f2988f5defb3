/** Units are the same in both languages; only the words around them go through i18n. */
export function formatBytes(n: number) {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

export function formatDuration(seconds: number) {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (v: number) => String(v).padStart(2, '0')
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

/** Speed over the last few seconds of progress samples (bytes per second). */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = []
  add(bytes: number, t = Date.now()) {
    this.samples.push({ t, bytes })
    while (this.samples.length > 2 && t - this.samples[0]!.t > 5_000) this.samples.shift()
  }
  reset() {
    this.samples = []
  }
  get bytesPerSecond() {
    const first = this.samples[0]
    const last = this.samples.at(-1)
    if (!first || !last || last.t - first.t < 300) return 0
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t)
  }
}
