/** What every portal's footer shows about the platform: its host unit (主办单位), contact and
 * ICP filing number. Read on every page, changed rarely: cached briefly in-process, like the
 * platform directory (app/models/platform.server.ts); a change made here clears it at once. */
import { prisma } from '~/lib/db.server.ts'
import { singleton } from '~/lib/singleton.server.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'

export type PlatformFooter = { hostUnit: string | null; contact: string | null; icpNumber: string | null }

const cache = singleton('platform-footer', () => ttlCache<string, PlatformFooter>(5_000))

export function getPlatformFooter(platformId: string): Promise<PlatformFooter> {
  return cache.get(platformId, async () => {
    const p = await prisma.platform.findUnique({
      where: { id: platformId },
      select: { hostUnit: true, contact: true, icpNumber: true },
    })
    return p ?? { hostUnit: null, contact: null, icpNumber: null }
  })
}

export function invalidatePlatformFooter() {
  cache.clear()
}
