/**
 * An image's original is offered for download, and a phone's photo carries where it was taken
 * (EXIF GPS, and again in XMP). Ingest now removes the location from the stored original
 * without re-encoding it: the compressed image data stays byte for byte, the orientation stays,
 * the recorded size is the stored one and the sha256 still that of the uploaded bytes.
 * The stored original is read through the storage driver, which is what a download streams.
 */
import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storage } from '../../storage/index.ts'
import {
  geotaggedJpeg,
  jpegScanData,
  locationTags,
  settled,
  startIngestHarness,
  startUpload,
  tusUpload,
} from '../factories/upload.ts'

let h: Awaited<ReturnType<typeof startIngestHarness>>
let photo: Buffer
beforeAll(async () => {
  photo = await geotaggedJpeg()
  h = await startIngestHarness()
}, 120_000)
afterAll(async () => {
  await h?.stop()
})

async function upload(bytes: Buffer, name: string) {
  const s = await startUpload(h.teacher, 'liling', name, bytes.length)
  expect(s, JSON.stringify(s)).toMatchObject({ ok: true })
  const sent = await tusUpload(h.teacher, bytes, bytes.length, {
    fileId: s.fileId!,
    resourceId: s.resourceId!,
    filename: name,
  })
  expect(sent).toMatchObject({ ok: true })
  return settled(s.fileId!)
}

describe('an uploaded photo', () => {
  it('is stored without its GPS position, with the same compressed image data and orientation', async () => {
    // The photo as uploaded: a position in EXIF and in XMP.
    expect(locationTags(photo)).toEqual(expect.arrayContaining([expect.stringMatching(/GPSLatitude/)]))
    expect(locationTags(photo).some((t) => t.startsWith('XMP'))).toBe(true)

    const file = await upload(photo, '校园一角.jpg')
    expect(file.status).toBe('READY')
    const stored = Buffer.concat(await (await storage.get(file.storageKey!)).toArray())

    expect(locationTags(stored)).toEqual([])
    expect(stored.toString('latin1')).not.toMatch(/GPS|HUAWEI/)
    // Lossless: the entropy-coded data and the pixels are exactly the uploaded ones.
    expect(jpegScanData(stored).equals(jpegScanData(photo))).toBe(true)
    const [a, b] = await Promise.all([sharp(stored).raw().toBuffer(), sharp(photo).raw().toBuffer()])
    expect(a.equals(b)).toBe(true)
    // Taken sideways, shown upright: the orientation survives.
    expect((await sharp(stored).metadata()).orientation).toBe(6)
    // The size is the stored one; the sha256 stays that of the uploaded bytes (duplicate detection).
    expect(Number(file.size)).toBe(stored.length)
    expect(stored.length).toBeLessThan(photo.length)
    expect(file.sha256).toBe(createHash('sha256').update(photo).digest('hex'))
  })

  it('uploaded again is still recognised as the same file', async () => {
    const again = await upload(photo, '校园一角（再传）.jpg')
    expect(again.status).toBe('DUPLICATE')
  })
})
