/**
 * Counters for throttling, on Redis through rate-limiter-flexible's RateLimiterRedis. Every
 * `consume`, `penalty` and `reward` is one atomic Lua script (SET NX EX, INCRBY, PTTL), so of
 * fifty requests arriving at once each gets its own count: no read-then-write race lets a burst
 * past a limit. Keys live under REDIS_PREFIX (`<prefix>:rl:<name>:<key>`), so deployments and
 * test files sharing one Redis never collide. A Redis outage fails closed: the request errors.
 */
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible'

export type LimiterSpec = {
  /** Points a key may take in `duration` seconds. */
  points: number
  duration: number
  /** Once over the limit, the key stays refused this long (seconds), counted from that moment. */
  blockDuration?: number
}

const made = new Map<string, RateLimiterRedis>()

/** The limiter `name` with this spec (made once per process; it holds no state of its own).
 * The Redis client is loaded on first use, so that importing a service that throttles (as unit
 * tests do) opens no connection. */
export async function limiter(name: string, spec: LimiterSpec): Promise<RateLimiterRedis> {
  const { redis, redisKey } = await import('~/lib/redis.server.ts')
  const keyPrefix = redisKey('rl', name)
  const id = `${keyPrefix}|${spec.points}|${spec.duration}|${spec.blockDuration ?? 0}`
  let l = made.get(id)
  if (!l) {
    // No in-memory blocking: a lock lifted in one process (an unlock code) must be lifted in all.
    l = new RateLimiterRedis({ storeClient: redis, keyPrefix, ...spec })
    made.set(id, l)
  }
  return l
}

/** A refusal from the limiter (as opposed to a Redis error, which is rethrown). */
function isRefusal(e: unknown): e is RateLimiterRes {
  return !(e instanceof Error) && typeof (e as RateLimiterRes | null)?.msBeforeNext === 'number'
}

export type Taken = { ok: true; consumed: number } | { ok: false; retryAfterSeconds: number }

/** Takes `points` from `key`, atomically. `customDuration` sets the window of a key it creates. */
export async function take(
  limiterOf: RateLimiterRedis | Promise<RateLimiterRedis>,
  key: string,
  opts: { points?: number; customDuration?: number } = {},
): Promise<Taken> {
  const l = await limiterOf
  try {
    const res = await l.consume(
      key,
      opts.points ?? 1,
      opts.customDuration ? { customDuration: opts.customDuration } : {},
    )
    return { ok: true, consumed: res.consumedPoints }
  } catch (e) {
    if (isRefusal(e)) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) }
    throw e
  }
}
