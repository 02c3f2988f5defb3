/**
 * The one module that talks to Meilisearch. Callers use domain functions; the index settings
 * and the Resource → document mapping join it with the catalogue issue.
 */
import { Meilisearch } from 'meilisearch'
import { env } from '../app/lib/env.server.ts'
import { singleton } from '../app/lib/singleton.server.ts'

export const search = singleton(
  'meilisearch',
  () =>
    new Meilisearch({
      host: env().MEILI_URL,
      apiKey: env().MEILI_MASTER_KEY,
      // Compressed responses stalled every local request by ~44 ms (platform notes); ask for
      // identity encoding and the same queries take ~3 ms.
      requestInit: { headers: { 'accept-encoding': 'identity' } },
      timeout: 5_000,
      // Index settings and big batches are applied asynchronously; on a shared 2-core machine
      // under test load a task can sit queued for well over the client's 5 s default (a CI
      // run failed that way). Waiting is never on a request path, so wait generously.
      defaultWaitOptions: { timeout: 120_000, interval: 50 },
    }),
)

export function indexName(name: string) {
  return `${env().MEILI_INDEX_PREFIX}_${name}`
}

/** Throws unless Meilisearch answers as available and accepts our key. */
export async function checkSearch() {
  const h = await search.health()
  if (h.status !== 'available') throw new Error(`meilisearch status ${h.status}`)
  await search.getKeys({ limit: 1 })
}
