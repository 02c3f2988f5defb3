/**
 * Fixed-window failure counters in Redis. Sign-in is refused once an account or an IP has
 * reached the configured number of failures in the window, even with the right password,
 * so guessing cannot go on by luck of timing.
 */
import { redis, redisKey } from '~/lib/redis.server.ts'

export type Limit = { max: number; windowSeconds: number }

export async function isBlocked(scope: string, id: string, limit: Limit): Promise<number | null> {
  const key = redisKey('rl', scope, id)
  const [count, ttl] = await Promise.all([redis.get(key), redis.ttl(key)])
  return Number(count ?? 0) >= limit.max ? Math.max(ttl, 1) : null
}

export async function recordHit(scope: string, id: string, limit: Limit) {
  const key = redisKey('rl', scope, id)
  const n = await redis.incr(key)
  if (n === 1) await redis.expire(key, limit.windowSeconds)
  return n
}

export async function clearHits(scope: string, id: string) {
  await redis.del(redisKey('rl', scope, id))
}
