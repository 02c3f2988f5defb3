/**
 * A small in-process cache of promises with a time to live. Concurrent callers for the same key
 * share one load; a failed load is not kept. Bounded: the oldest entries go first.
 * In-process only: with several web processes, a change shows everywhere within the TTL.
 */
export function ttlCache<K, V>(ttlMs: number, maxEntries = 2_000) {
  const entries = new Map<K, { at: number; value: Promise<V> }>()
  return {
    get(key: K, load: () => Promise<V>): Promise<V> {
      const hit = entries.get(key)
      if (hit && Date.now() - hit.at < ttlMs) return hit.value
      const value = load()
      entries.delete(key)
      entries.set(key, { at: Date.now(), value })
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key)
      })
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K)
      return value
    },
    clear() {
      entries.clear()
    },
  }
}
