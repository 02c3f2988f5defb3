import { afterEach, describe, expect, it, vi } from 'vitest'
import { ttlCache } from '~/lib/ttl-cache.server.ts'

afterEach(() => vi.useRealTimers())

describe('ttlCache', () => {
  it('shares one load between concurrent callers and reloads after the TTL', async () => {
    vi.useFakeTimers()
    const c = ttlCache<string, number>(1_000)
    let loads = 0
    const load = async () => ++loads
    expect(await Promise.all([c.get('k', load), c.get('k', load)])).toEqual([1, 1])
    vi.advanceTimersByTime(999)
    expect(await c.get('k', load)).toBe(1)
    vi.advanceTimersByTime(2)
    expect(await c.get('k', load)).toBe(2)
    c.clear()
    expect(await c.get('k', load)).toBe(3)
  })

  it('does not keep a failed load', async () => {
    const c = ttlCache<string, number>(60_000)
    await expect(c.get('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down')
    expect(await c.get('k', async () => 7)).toBe(7)
  })

  it('drops the oldest entries beyond its bound', async () => {
    const c = ttlCache<number, number>(60_000, 2)
    let loads = 0
    for (const k of [1, 2, 3]) await c.get(k, async () => ++loads)
    expect(await c.get(1, async () => ++loads)).toBe(4) // 1 was evicted and loads again
    expect(await c.get(3, async () => ++loads)).toBe(3) // 3 is still there
  })
})
