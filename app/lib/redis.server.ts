import { Redis } from 'ioredis'
import { env } from './env.server.ts'
import { singleton } from './singleton.server.ts'

/** Shared connection for rate limits and small counters. BullMQ makes its own (it needs
 * `maxRetriesPerRequest: null`, see workers/queue.ts). */
export const redis = singleton(
  'redis',
  () => new Redis(env().REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }),
)

export function redisKey(...parts: string[]) {
  return [env().REDIS_PREFIX, ...parts].join(':')
}
