/**
 * Location metadata leaves image originals losslessly (workers/media/strip-location.ts): the
 * compressed image data comes out byte for byte, the decoded pixels are the same, the
 * orientation survives, and nothing that can hold a position does.
 */
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  MalformedImageError,
  exifOrientation,
  jpegSegments,
  minimalExif,
  stripGif,
  stripJpeg,
  stripLocation,
  stripPng,
  stripWebp,
} from '../../workers/media/strip-location.ts'

const GPS = {
  IFD0: { Make: 'TestCam', Model: 'X1', Artist: '陈晓梅' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '27/1 39/1 3000/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '113/1 29/1 0/1',
  },
}
const XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="27,39.5N" exif:GPSLongitude="113,29.0E"/>' +
  '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'

const noise = () =>
  sharp({
    create: {
      width: 96,
      height: 64,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })

type Format = 'jpeg' | 'png' | 'webp'
async function geotagged(format: Format, orientation = 6, opts: { progressive?: boolean } = {}) {
  let s = noise()
  s = format === 'jpeg' ? s.jpeg({ progressive: opts.progressive }) : format === 'png' ? s.png() : s.webp()
  s = s.withExif(GPS).withXmp(XMP)
  if (orientation !== 1) s = s.withMetadata({ orientation })
  return s.toBuffer()
}

const pixels = (b: Buffer) => sharp(b).raw().toBuffer()
const text = (b: Buffer) => b.toString('latin1')

/** Everything from the first SOS to EOI: the compressed image data and the tables between scans. */
function jpegImageData(b: Buffer) {
  const { segments, end } = jpegSegments(b)
  const sos = segments.find((s) => s.marker === 0xda)!
  return b.subarray(sos.start, end)
}

function pngChunks(b: Buffer) {
  const chunks: { type: string; data: Buffer; crcOk: boolean }[] = []
  for (let i = 8; i < b.length;) {
    const len = b.readUInt32BE(i)
    const type = b.toString('latin1', i + 4, i + 8)
    const data = b.subarray(i + 8, i + 8 + len)
    const crcOk = crc32(b.subarray(i + 4, i + 8 + len)) >>> 0 === b.readUInt32BE(i + 8 + len)
    chunks.push({ type, data, crcOk })
    i += 12 + len
  }
  return chunks
}

function webpChunks(b: Buffer) {
  const chunks: { fourcc: string; data: Buffer }[] = []
  for (let i = 12; i + 8 <= b.length;) {
    const len = b.readUInt32LE(i + 4)
    chunks.push({ fourcc: b.toString('latin1', i, i + 4), data: b.subarray(i + 8, i + 8 + len) })
    i += 8 + len + (len % 2)
  }
  return chunks
}

/** What an independent reader finds: sharp's (libvips') own view of the metadata. */
async function metadataOf(b: Buffer) {
  const m = await sharp(b).metadata()
  return { orientation: m.orientation, exif: m.exif, xmp: m.xmp, iptc: m.iptc }
}

describe('JPEG', () => {
  it('drops EXIF (GPS included) and XMP, keeps only the orientation, and copies the image data byte for byte', async () => {
    const input = await geotagged('jpeg', 6)
    expect(text(input)).toContain('GPSLatitude') // the XMP copy
    const before = await metadataOf(input)
    expect(before.exif!.length).toBeGreaterThan(100)

    const { bytes, removed, orientation } = stripJpeg(input)
    expect(removed).toEqual(expect.arrayContaining(['Exif', 'XMP']))
    expect(orientation).toBe(6)
    const after = await metadataOf(bytes)
    expect(after.orientation).toBe(6)
    expect(after.exif).toEqual(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), minimalExif(6)]))
    expect(after.xmp).toBeUndefined()
    for (const s of ['GPS', 'TestCam', 'Exif\0\0MM\0*\0\0\0\x08\0\x02']) expect(text(bytes)).not.toContain(s)
    expect(jpegImageData(bytes).equals(jpegImageData(input))).toBe(true)
    expect((await pixels(bytes)).equals(await pixels(input))).toBe(true)
  })

  it('leaves no EXIF at all when the orientation is the default one', async () => {
    const { bytes, orientation } = stripJpeg(await geotagged('jpeg', 1))
    expect(orientation).toBe(1)
    expect(jpegSegments(bytes).segments.some((s) => s.marker === 0xe1)).toBe(false)
    expect((await metadataOf(bytes)).exif).toBeUndefined()
  })

  it('keeps every scan of a progressive JPEG', async () => {
    const input = await geotagged('jpeg', 8, { progressive: true })
    expect(jpegSegments(input).segments.filter((s) => s.marker === 0xda).length).toBeGreaterThan(1)
    const { bytes } = stripJpeg(input)
    expect(jpegImageData(bytes).equals(jpegImageData(input))).toBe(true)
    expect((await pixels(bytes)).equals(await pixels(input))).toBe(true)
    expect((await metadataOf(bytes)).orientation).toBe(8)
  })

  it('drops IPTC (APP13), the MPF index and whatever follows the end of the image', async () => {
    const plain = await noise().jpeg().toBuffer()
    const second = await geotagged('jpeg') // a "secondary image" with its own EXIF and GPS
    const seg = (marker: number, payload: string) => {
      const p = Buffer.from(payload, 'latin1')
      const h = Buffer.from([0xff, marker, 0, 0])
      h.writeUInt16BE(p.length + 2, 2)
      return Buffer.concat([h, p])
    }
    const input = Buffer.concat([
      plain.subarray(0, 2),
      seg(0xe2, 'MPF\0II*\0\x08\0\0\0'),
      seg(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x5a\0\x06长沙'),
      plain.subarray(2),
      second,
    ])
    const { bytes, removed } = stripJpeg(input)
    expect(removed).toEqual(['MPF', 'IPTC (APP13)', 'data after the image'])
    expect(bytes.equals(plain)).toBe(true)
  })

  it('copies stuffed bytes and restart markers of the entropy-coded data untouched', () => {
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), minimalExif(3)])
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, exif.length + 2]), exif])
    const sos = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0])
    const ecs = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78])
    const soi = Buffer.from([0xff, 0xd8])
    const eoi = Buffer.from([0xff, 0xd9])
    const { bytes, orientation } = stripJpeg(Buffer.concat([soi, app1, sos, ecs, eoi]))
    expect(orientation).toBe(3)
    expect(bytes.equals(Buffer.concat([soi, app1, sos, ecs, eoi]))).toBe(true) // orientation 3 kept as minimal EXIF
    const big = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from('MM\0*\0\0\0\x08\0\0\0\0\0\0', 'latin1')])
    const app1Big = Buffer.concat([Buffer.from([0xff, 0xe1, 0, big.length + 2]), big])
    expect(
      stripJpeg(Buffer.concat([soi, app1Big, sos, ecs, eoi])).bytes.equals(Buffer.concat([soi, sos, ecs, eoi])),
    ).toBe(true)
  })

  it('returns the very same bytes when there is nothing to remove, and is idempotent', async () => {
    const plain = await noise().jpeg().toBuffer()
    expect(stripJpeg(plain)).toMatchObject({ bytes: plain, removed: [] })
    const once = stripJpeg(await geotagged('jpeg')).bytes
    const twice = stripJpeg(once)
    expect(twice.removed).toEqual([])
    expect(twice.bytes.equals(once)).toBe(true)
  })

  it('refuses a JPEG whose segments overrun the file', () => {
    expect(() => stripJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 1, 2, 3]))).toThrow(MalformedImageError)
  })
})

describe('PNG', () => {
  it('drops eXIf and the text chunks (XMP), keeps the orientation and every image chunk with valid CRCs', async () => {
    const input = await geotagged('png', 6)
    const { bytes, removed } = stripPng(input)
    expect(removed).toContain('eXIf')
    const chunks = pngChunks(bytes)
    expect(chunks.every((c) => c.crcOk)).toBe(true)
    expect(chunks.map((c) => c.type)).not.toEqual(expect.arrayContaining(['tEXt']))
    expect(chunks.some((c) => ['tEXt', 'zTXt', 'iTXt'].includes(c.type))).toBe(false)
    expect(chunks.find((c) => c.type === 'eXIf')!.data.equals(minimalExif(6))).toBe(true)
    const idat = (b: Buffer) =>
      Buffer.concat(
        pngChunks(b)
          .filter((c) => c.type === 'IDAT')
          .map((c) => c.data),
      )
    expect(idat(bytes).equals(idat(input))).toBe(true)
    expect((await metadataOf(bytes)).orientation).toBe(6)
    expect((await metadataOf(bytes)).xmp).toBeUndefined()
    expect(text(bytes)).not.toContain('GPS')
    expect((await pixels(bytes)).equals(await pixels(input))).toBe(true)
  })
})

describe('WebP', () => {
  it('drops EXIF and XMP chunks, fixes the VP8X flags and the RIFF size, keeps the orientation', async () => {
    const input = await geotagged('webp', 6)
    expect(input[20]! & 0x0c).toBe(0x0c) // VP8X says EXIF and XMP
    const { bytes, removed } = stripWebp(input)
    expect(removed).toEqual(expect.arrayContaining(['EXIF', 'XMP']))
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8)
    const chunks = webpChunks(bytes)
    expect(chunks.map((c) => c.fourcc)).not.toContain('XMP ')
    expect(chunks.find((c) => c.fourcc === 'EXIF')!.data.equals(minimalExif(6))).toBe(true)
    expect(chunks[0]!.data[0]! & 0x0c).toBe(0x08) // EXIF (the orientation) yes, XMP no
    const vp8 = (b: Buffer) => webpChunks(b).find((c) => c.fourcc.startsWith('VP8') && c.fourcc !== 'VP8X')!.data
    expect(vp8(bytes).equals(vp8(input))).toBe(true)
    expect(text(bytes)).not.toContain('GPS')
    expect((await metadataOf(bytes)).orientation).toBe(6)
    expect((await pixels(bytes)).equals(await pixels(input))).toBe(true)
  })

  it('clears the EXIF flag when no orientation needs keeping', async () => {
    const { bytes } = stripWebp(await geotagged('webp', 1))
    expect(webpChunks(bytes).map((c) => c.fourcc)).not.toContain('EXIF')
    expect(webpChunks(bytes)[0]!.data[0]! & 0x0c).toBe(0)
    expect((await metadataOf(bytes)).exif).toBeUndefined()
  })
})

describe('GIF', () => {
  it('drops an XMP application extension written the Adobe way (raw packet, magic trailer)', async () => {
    const gif = await noise().gif().toBuffer()
    const packed = gif[10]!
    const afterHeader = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0)
    const trailer = Buffer.concat([
      Buffer.from([0x01]),
      Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
      Buffer.from([0]),
    ])
    const xmpExt = Buffer.concat([
      Buffer.from([0x21, 0xff, 11]),
      Buffer.from('XMP DataXMP', 'latin1'),
      Buffer.from(XMP),
      trailer,
    ])
    const input = Buffer.concat([gif.subarray(0, afterHeader), xmpExt, gif.subarray(afterHeader)])
    expect((await sharp(input).metadata()).width).toBe(96)
    const { bytes, removed } = stripGif(input)
    expect(removed).toEqual(['XMP'])
    expect(bytes.equals(gif)).toBe(true)
  })
})

describe('any image', () => {
  it('dispatches on the content and leaves other bytes alone', async () => {
    expect(stripLocation(await geotagged('jpeg')).removed).toContain('Exif')
    expect(stripLocation(await geotagged('png')).removed).toContain('eXIf')
    expect(stripLocation(await geotagged('webp')).removed).toContain('EXIF')
    const pdf = Buffer.from('%PDF-1.7\n')
    expect(stripLocation(pdf)).toMatchObject({ bytes: pdf, removed: [] })
  })

  it('reads the orientation from big- and little-endian EXIF, and ignores nonsense', () => {
    expect(exifOrientation(minimalExif(5))).toBe(5)
    const le = Buffer.from('II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x07\0\0\0\0\0\0\0', 'latin1')
    expect(exifOrientation(le)).toBe(7)
    expect(exifOrientation(Buffer.from('garbage!'))).toBe(1)
    expect(exifOrientation(Buffer.from('MM\0*\xff\xff\xff\xff', 'latin1'))).toBe(1)
  })
})

describe('cleaning twice', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('changes nothing the second time (%s)', async (format) => {
    const once = stripLocation(await geotagged(format, 6))
    const twice = stripLocation(once.bytes)
    expect(twice).toMatchObject({ removed: [], orientation: 6 })
    expect(twice.bytes).toBe(once.bytes)
  })
})
