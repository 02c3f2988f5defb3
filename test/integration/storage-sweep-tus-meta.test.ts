/**
 * On local disk the tus store keeps each upload's bookkeeping outside the object tree
 * (storage/tus-meta.ts). The orphan pass removes the bookkeeping no file accounts for, with the
 * partial bytes, and keeps that of live uploads.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { sweepOrphans, sweepStorage } from '~/services/media/orphans.server.ts'
import { storage } from '../../storage/index.ts'
import { tusMetaDir, tusMetaFile } from '../../storage/tus-meta.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { startUpload, tusPartial } from '../factories/upload.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let teacher: Browser
beforeAll(async () => {
  await generateFixtures()
  await seedDemo()
  server = await startTestServer()
  teacher = new Browser(server.base)
  await teacher.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
})
afterAll(async () => {
  await server?.close()
})

const meta = (key: string) => tusMetaFile(tusMetaDir(path.resolve(env().STORAGE_LOCAL_ROOT)), key)

async function partial(name: string, extra: string) {
  const bytes = Buffer.concat([fs.readFileSync(path.join(FIXTURES, 'lesson.pdf')), Buffer.from(extra)])
  const s = await startUpload(teacher, 'liling', name, bytes.length)
  const r = await tusPartial(teacher, bytes, { fileId: s.fileId!, resourceId: s.resourceId!, filename: name }, 8192)
  expect(r).toMatchObject({ created: 201, patched: 204 })
  const key = (await prisma.resourceFile.findUniqueOrThrow({ where: { id: s.fileId! } })).storageKey!
  expect(fs.existsSync(meta(key))).toBe(true)
  return { ...s, key }
}

describe('sweeping the local tus bookkeeping', () => {
  it('removes what no file accounts for, past the grace period, and keeps live uploads', async () => {
    const live = await partial('进行中.pdf', '\n% a\n')
    const gone = await partial('已删除.pdf', '\n% b\n')
    await prisma.resource.delete({ where: { id: gone.resourceId! } })

    // Within the grace period both stay.
    await sweepOrphans()
    expect(fs.existsSync(meta(gone.key))).toBe(true)
    // Past it, the deleted draft's bytes and bookkeeping go; the live upload keeps both.
    const result = await sweepStorage({ graceMs: 0 })
    expect(result).toMatchObject({ abandoned: 0, removed: 2 })
    expect(fs.existsSync(meta(gone.key))).toBe(false)
    expect(await storage.stat(gone.key)).toBeNull()
    expect(fs.existsSync(meta(live.key))).toBe(true)
    expect(await storage.stat(live.key)).not.toBeNull()
    expect(await sweepStorage({ graceMs: 0 })).toMatchObject({ abandoned: 0, removed: 0 })
  })
})
