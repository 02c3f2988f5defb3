/** The storage sweeper removes what no row accounts for, and nothing else. */
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { sweepOrphans } from '~/services/media/orphans.server.ts'
import { startUpload } from '~/services/uploads/start-upload.server.ts'
import { finishUpload } from '~/services/uploads/tus-gate.server.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { PHONES, actorByPhone, platformBySlug, seedDemo } from '../factories/index.ts'
import { listKeys } from '../factories/upload.ts'

beforeAll(() => seedDemo())

describe('sweeping storage', () => {
  it('keeps live originals and derivatives, removes old strays, spares fresh ones', async () => {
    const actor = await actorByPhone(PHONES.lilingTeacher)
    const platform = await platformBySlug('liling')
    // A live upload (processing) with an original and a derivative.
    const live = await startUpload(actor, platform, { name: '学案.pdf', size: 4 })
    const liveFile = await prisma.resourceFile.findUniqueOrThrow({ where: { id: live.fileId } })
    await storage.put(liveFile.storageKey!, Buffer.from('%PDF'))
    await finishUpload(live.fileId, 'a'.repeat(64))
    const liveRef = { platformId: platform.id, resourceId: live.resourceId, fileId: live.fileId }
    await storage.put(objectKeys.derived(liveRef, 'text/text.txt'), Buffer.from('勾股定理'))
    // A refused file whose derivatives were left behind by a crash.
    const refused = await startUpload(actor, platform, { name: '坏文件.mp4', size: 4 })
    await prisma.resourceFile.update({ where: { id: refused.fileId }, data: { status: 'REJECTED', storageKey: null } })
    const refusedRef = { platformId: platform.id, resourceId: refused.resourceId, fileId: refused.fileId }
    await storage.put(objectKeys.original(refusedRef), Buffer.from('junk'))
    await storage.put(objectKeys.derived(refusedRef, 'poster/poster.jpg'), Buffer.from('junk'))
    // An object for a file that never existed.
    const ghost = { platformId: platform.id, resourceId: 'ghostresource01', fileId: 'ghostfile00001' }
    await storage.put(objectKeys.original(ghost), Buffer.from('junk'))

    // Everything is fresh: within the grace period nothing goes.
    expect(await sweepOrphans({ graceMs: 60_000 })).toEqual({ removed: 0, kept: 2 })
    // Two minutes later the strays are old enough.
    expect(await sweepOrphans({ graceMs: 60_000, now: Date.now() + 120_000 })).toEqual({ removed: 3, kept: 2 })
    expect(await listKeys('originals/', 'derived/')).toEqual(
      [liveFile.storageKey!, objectKeys.derived(liveRef, 'text/text.txt')].sort(),
    )
  })
})
