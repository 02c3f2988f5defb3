import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { schemaMatchesMigrations } from '../../scripts/db/schema-engine.ts'
import { storage, objectKeys } from '../../storage/index.ts'
import { verifyDownload } from '../../storage/capabilities.ts'

describe('migrations', () => {
  it('schema.prisma and the migration history agree (no drift)', async () => {
    const r = await schemaMatchesMigrations(process.env.DATABASE_URL!)
    expect(r.diff).toMatch(/^$|empty migration/)
    expect(r.ok).toBe(true)
  })
})

describe('local-disk storage driver', () => {
  const key = objectKeys.derived(
    { platformId: 'cplatform0001', resourceId: 'cresource0001', fileId: 'cfile0000001' },
    'text/extract.txt',
  )

  it('puts, reads (whole and a range), lists and removes; signed URLs expire', async () => {
    await storage.check()
    await storage.put(key, Readable.from([Buffer.from('勾股定理：直角三角形两直角边的平方和等于斜边的平方。')]), {
      contentType: 'text/plain; charset=utf-8',
    })
    const st = await storage.stat(key)
    expect(st?.size).toBeGreaterThan(20)
    expect(st?.contentType).toBe('text/plain; charset=utf-8')
    expect(await text(await storage.get(key))).toContain('勾股定理')
    expect(await text(await storage.get(key, { start: 0, end: 11 }))).toBe('勾股定理')
    const listed: string[] = []
    for await (const k of storage.list('derived/cplatform0001')) listed.push(k)
    expect(listed).toEqual([key])

    // A path on this site (it stays on the visitor's host) with a download token for this one key.
    const url = await storage.signedUrl(key, 60, { downloadName: '讲义.txt' })
    expect(url).toMatch(/^\/files\/[^/]+\/%E8%AE%B2%E4%B9%89\.txt$/)
    const token = url.split('/')[2]!
    expect(verifyDownload(process.env.SESSION_SECRET!, token)).toMatchObject({ key, n: '讲义.txt' })
    expect(verifyDownload(process.env.SESSION_SECRET!, token, Date.now() + 61_000)).toBeNull()

    await storage.remove(key)
    expect(await storage.stat(key)).toBeNull()
  })

  it('refuses keys that would leave the storage root', async () => {
    await expect(storage.put('originals/../../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid object key/)
    expect(() =>
      objectKeys.derived(
        { platformId: 'cplatform0001', resourceId: 'cresource0001', fileId: 'cfile0000001' },
        'text/../x',
      ),
    ).toThrow()
    expect(() =>
      objectKeys.original({ platformId: '../../x', resourceId: 'cresource0001', fileId: 'cupload00001' }),
    ).toThrow()
  })
})
