/**
 * Removes location (and other personal) metadata from an image original without re-encoding
 * it: the only code that rewrites an original's bytes after upload.
 *
 * Phones write the GPS position into EXIF (and often into XMP, and into IPTC as place names),
 * and the original is what a download hands out. The pixels stay byte for byte as uploaded:
 * only metadata containers are dropped, and the compressed image data is copied as it is.
 *
 *  - JPEG: APP1 (Exif, XMP, extended XMP), APP13 (Photoshop/IPTC) and APP2 MPF segments are
 *    dropped, wherever they sit before the end of the image; the entropy-coded scans and every
 *    other segment (JFIF, ICC profile, Adobe, quantisation and Huffman tables, comments) are
 *    copied unchanged. Anything after the end-of-image marker is dropped too: the secondary
 *    images an MPF segment points at, or the video a "motion photo" appends, carry their own
 *    EXIF (with the same position).
 *  - PNG: eXIf and the text chunks (tEXt, zTXt, iTXt: XMP and ImageMagick's "Raw profile"
 *    copies of EXIF and IPTC live there); data after IEND.
 *  - WebP: EXIF and XMP chunks, with the VP8X flags and the RIFF size fixed.
 *  - GIF: XMP application extensions.
 *
 * Orientation: dropping EXIF would make a photo taken sideways display sideways, since
 * viewers rotate by its Orientation tag. Rather than editing the TIFF structure in place (GPS
 * IFD pointer, maker notes with their own offsets, serial numbers and owner names left behind),
 * the EXIF is replaced by a minimal one holding Orientation only, when it is not the default.
 * Nothing else of the old EXIF survives.
 */
import { crc32 } from 'node:zlib'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import { storage } from '../../storage/index.ts'

export type Stripped = {
  bytes: Buffer
  /** What was removed (for the log and the tests); empty when nothing was. */
  removed: string[]
  /** EXIF orientation carried over into the minimal EXIF (1 when none was needed). */
  orientation: number
}

export class MalformedImageError extends Error {}

const malformed = (what: string) => new MalformedImageError(what)

// ---------------------------------------------------------------------------------------------
// EXIF (TIFF) helpers

/** The Orientation tag (1–8) of a TIFF/EXIF block, or 1. `tiff` starts at the byte-order mark. */
export function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1
  const order = tiff.toString('latin1', 0, 2)
  if (order !== 'II' && order !== 'MM') return 1
  const le = order === 'II'
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o))
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o))
  if (u16(2) !== 42) return 1
  const ifd = u32(4)
  if (ifd + 2 > tiff.length) return 1
  const count = u16(ifd)
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12
    if (e + 12 > tiff.length) return 1
    if (u16(e) !== 0x0112) continue
    const type = u16(e + 2)
    const v = type === 3 ? u16(e + 8) : type === 4 ? u32(e + 8) : 1
    return v >= 1 && v <= 8 ? v : 1
  }
  return 1
}

/** A TIFF block with one IFD holding only Orientation (big-endian, 26 bytes). */
export function minimalExif(orientation: number): Buffer {
  const b = Buffer.alloc(26)
  b.write('MM', 0, 'latin1')
  b.writeUInt16BE(42, 2)
  b.writeUInt32BE(8, 4) // IFD0 right after the header
  b.writeUInt16BE(1, 8) // one entry
  b.writeUInt16BE(0x0112, 10) // Orientation
  b.writeUInt16BE(3, 12) // SHORT
  b.writeUInt32BE(1, 14) // count
  b.writeUInt16BE(orientation, 18) // value, left-justified in the 4-byte field
  b.writeUInt32BE(0, 22) // no next IFD
  return b
}

/** Whether a TIFF block is already the minimal one we write: kept as it is, so that cleaning
 * twice changes nothing the second time. */
const isMinimalExif = (tiff: Buffer) => {
  const o = exifOrientation(tiff)
  return o !== 1 && tiff.equals(minimalExif(o))
}

const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1')
/** Some writers put JPEG's "Exif\0\0" in front of the TIFF block in PNG and WebP too. */
const tiffOf = (payload: Buffer) => (payload.subarray(0, 6).equals(EXIF_HEADER) ? payload.subarray(6) : payload)

// ---------------------------------------------------------------------------------------------
// JPEG

export type JpegSegment = {
  marker: number
  /** Offset of the 0xFF that starts the marker, and the end of the segment (exclusive). */
  start: number
  end: number
  /** Where the segment's payload starts (after the marker and the length); `end` for markers without one. */
  payload: number
  /** For SOS: where its entropy-coded data ends (the next marker). */
  scanEnd?: number
}

const STANDALONE = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9)

/**
 * The segments of a JPEG from SOI to EOI, in order. Each SOS is followed by its entropy-coded
 * data up to `scanEnd`. Data after EOI is not part of the image and is not listed.
 */
export function jpegSegments(b: Buffer): { segments: JpegSegment[]; end: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw malformed('not a JPEG')
  const segments: JpegSegment[] = [{ marker: 0xd8, start: 0, end: 2, payload: 2 }]
  let i = 2
  while (i < b.length) {
    if (b[i] !== 0xff) throw malformed(`expected a marker at ${i}`)
    const start = i
    while (i < b.length && b[i] === 0xff) i++ // fill bytes
    if (i >= b.length) break
    const marker = b[i]!
    i++
    if (STANDALONE(marker)) {
      segments.push({ marker, start, end: i, payload: i })
      if (marker === 0xd9) return { segments, end: i }
      continue
    }
    if (i + 2 > b.length) throw malformed('truncated segment length')
    const len = b.readUInt16BE(i)
    if (len < 2 || i + len > b.length) throw malformed(`segment 0x${marker.toString(16)} overruns the file`)
    const seg: JpegSegment = { marker, start, end: i + len, payload: i + 2 }
    i += len
    segments.push(seg)
    if (marker === 0xda) {
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or RSTn inside it.
      let j = i
      for (;;) {
        j = b.indexOf(0xff, j)
        if (j < 0 || j + 1 >= b.length) {
          j = b.length // truncated file: keep what there is
          break
        }
        const next = b[j + 1]!
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) j += 2
        else if (next === 0xff) j += 1
        else break
      }
      seg.scanEnd = j
      i = j
    }
  }
  // No EOI: a truncated image. Everything read so far is the image.
  return { segments, end: b.length }
}

const startsWith = (b: Buffer, at: number, s: string) => b.toString('latin1', at, at + s.length) === s

function jpegSegmentKind(b: Buffer, s: JpegSegment) {
  const at = s.payload
  if (s.marker === 0xe1) {
    if (startsWith(b, at, 'Exif\0')) return 'Exif'
    if (startsWith(b, at, 'http://ns.adobe.com/xap/1.0/\0')) return 'XMP'
    if (startsWith(b, at, 'http://ns.adobe.com/xmp/extension/\0')) return 'XMP (extended)'
    return 'APP1'
  }
  if (s.marker === 0xed) return 'IPTC (APP13)'
  if (s.marker === 0xe2 && startsWith(b, at, 'MPF\0')) return 'MPF'
  return null
}

function appSegment(marker: number, payload: Buffer) {
  const head = Buffer.from([0xff, marker, 0, 0])
  head.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([head, payload])
}

export function stripJpeg(b: Buffer): Stripped {
  const { segments, end } = jpegSegments(b)
  const out: Buffer[] = []
  const removed: string[] = []
  let orientation = 1
  let exifAt = -1
  let kept = false
  for (const s of segments) {
    const kind = jpegSegmentKind(b, s)
    if (kind === 'Exif' && !kept && exifAt < 0 && isMinimalExif(b.subarray(s.payload + 6, s.end))) {
      kept = true
      orientation = exifOrientation(b.subarray(s.payload + 6, s.end))
    } else if (kind) {
      if (kind === 'Exif' && !kept && exifAt < 0) {
        orientation = exifOrientation(b.subarray(s.payload + 6, s.end))
        exifAt = out.length
      }
      removed.push(kind)
      continue
    }
    out.push(b.subarray(s.start, s.scanEnd ?? s.end))
  }
  if (end < b.length) removed.push('data after the image')
  if (!removed.length) return { bytes: b, removed, orientation }
  if (orientation !== 1 && exifAt >= 0)
    out.splice(exifAt, 0, appSegment(0xe1, Buffer.concat([EXIF_HEADER, minimalExif(orientation)])))
  return { bytes: Buffer.concat(out), removed, orientation }
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex')
const PNG_TEXT = new Set(['tEXt', 'zTXt', 'iTXt'])

function pngChunk(type: string, data: Buffer) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

export function stripPng(b: Buffer): Stripped {
  if (!b.subarray(0, 8).equals(PNG_SIGNATURE)) throw malformed('not a PNG')
  const out: Buffer[] = [PNG_SIGNATURE]
  const removed: string[] = []
  let orientation = 1
  let exifAt = -1
  let i = 8
  let ended = false
  let kept = false
  while (i < b.length) {
    if (i + 12 > b.length) throw malformed('truncated PNG chunk')
    const len = b.readUInt32BE(i)
    const type = b.toString('latin1', i + 4, i + 8)
    const next = i + 12 + len
    if (next > b.length) throw malformed(`PNG chunk ${type} overruns the file`)
    const data = b.subarray(i + 8, i + 8 + len)
    if (type === 'eXIf' && !kept && exifAt < 0 && isMinimalExif(data)) {
      kept = true
      orientation = exifOrientation(data)
      out.push(b.subarray(i, next))
    } else if (type === 'eXIf') {
      if (!kept && exifAt < 0) {
        orientation = exifOrientation(tiffOf(data))
        exifAt = out.length
      }
      removed.push('eXIf')
    } else if (PNG_TEXT.has(type)) {
      removed.push(type)
    } else {
      out.push(b.subarray(i, next))
    }
    i = next
    if (type === 'IEND') {
      ended = true
      break
    }
  }
  if (ended && i < b.length) removed.push('data after the image')
  if (!removed.length) return { bytes: b, removed, orientation }
  if (orientation !== 1 && exifAt >= 0) out.splice(exifAt, 0, pngChunk('eXIf', minimalExif(orientation)))
  return { bytes: Buffer.concat(out), removed, orientation }
}

// ---------------------------------------------------------------------------------------------
// WebP

const VP8X_EXIF = 0x08
const VP8X_XMP = 0x04

function riffChunk(fourcc: string, data: Buffer) {
  const head = Buffer.alloc(8)
  head.write(fourcc, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

export function stripWebp(b: Buffer): Stripped {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP')
    throw malformed('not a WebP')
  const riffEnd = Math.min(b.length, 8 + b.readUInt32LE(4))
  const chunks: { fourcc: string; bytes: Buffer }[] = []
  const removed: string[] = []
  let orientation = 1
  let exifAt = -1
  let kept = false
  let i = 12
  while (i + 8 <= riffEnd) {
    const fourcc = b.toString('latin1', i, i + 4)
    const len = b.readUInt32LE(i + 4)
    const next = i + 8 + len + (len % 2)
    if (i + 8 + len > riffEnd) throw malformed(`WebP chunk ${fourcc} overruns the file`)
    const data = b.subarray(i + 8, i + 8 + len)
    if (fourcc === 'EXIF' && !kept && exifAt < 0 && isMinimalExif(data)) {
      kept = true
      orientation = exifOrientation(data)
      chunks.push({ fourcc, bytes: b.subarray(i, Math.min(next, riffEnd)) })
    } else if (fourcc === 'EXIF') {
      if (!kept && exifAt < 0) {
        orientation = exifOrientation(tiffOf(data))
        exifAt = chunks.length
      }
      removed.push('EXIF')
    } else if (fourcc === 'XMP ') {
      removed.push('XMP')
    } else {
      chunks.push({ fourcc, bytes: b.subarray(i, Math.min(next, riffEnd)) })
    }
    i = next
  }
  if (riffEnd < b.length) removed.push('data after the image')
  if (!removed.length) return { bytes: b, removed, orientation }
  const keepExif = (kept || (orientation !== 1 && exifAt >= 0)) && chunks[0]?.fourcc === 'VP8X'
  if (keepExif && !kept)
    chunks.splice(exifAt, 0, { fourcc: 'EXIF', bytes: riffChunk('EXIF', minimalExif(orientation)) })
  if (chunks[0]?.fourcc === 'VP8X') {
    const vp8x = Buffer.from(chunks[0].bytes)
    vp8x[8] = (vp8x[8]! & ~(VP8X_EXIF | VP8X_XMP)) | (keepExif ? VP8X_EXIF : 0)
    chunks[0] = { fourcc: 'VP8X', bytes: vp8x }
  }
  const body = Buffer.concat(chunks.map((c) => c.bytes))
  const head = Buffer.alloc(12)
  head.write('RIFF', 0, 'latin1')
  head.writeUInt32LE(4 + body.length, 4)
  head.write('WEBP', 8, 'latin1')
  return { bytes: Buffer.concat([head, body]), removed, orientation }
}

// ---------------------------------------------------------------------------------------------
// GIF

/** Skips GIF data sub-blocks from `i`; returns the offset after the terminating empty block. */
function skipSubBlocks(b: Buffer, i: number) {
  for (;;) {
    if (i >= b.length) throw malformed('truncated GIF block')
    const n = b[i]!
    i += 1 + n
    if (n === 0) return i
  }
}

export function stripGif(b: Buffer): Stripped {
  const sig = b.toString('latin1', 0, 6)
  if (sig !== 'GIF87a' && sig !== 'GIF89a') throw malformed('not a GIF')
  if (b.length < 13) throw malformed('truncated GIF')
  let i = 13
  const packed = b[10]!
  if (packed & 0x80) i += 3 * 2 ** ((packed & 7) + 1)
  const out: Buffer[] = [b.subarray(0, i)]
  const removed: string[] = []
  let ended = false
  while (i < b.length) {
    const start = i
    const intro = b[i]!
    if (intro === 0x3b) {
      out.push(b.subarray(i, i + 1))
      i += 1
      ended = true
      break
    }
    if (intro === 0x21) {
      const label = b[i + 1]
      const isXmp = label === 0xff && b[i + 2] === 11 && b.toString('latin1', i + 3, i + 14) === 'XMP DataXMP'
      i = skipSubBlocks(b, i + 2)
      if (isXmp) removed.push('XMP')
      else out.push(b.subarray(start, i))
      continue
    }
    if (intro === 0x2c) {
      if (i + 10 > b.length) throw malformed('truncated GIF image')
      const p = b[i + 9]!
      i += 10
      if (p & 0x80) i += 3 * 2 ** ((p & 7) + 1)
      i = skipSubBlocks(b, i + 1) // after the LZW minimum code size
      out.push(b.subarray(start, i))
      continue
    }
    throw malformed(`unexpected GIF block 0x${intro.toString(16)} at ${i}`)
  }
  if (ended && i < b.length) removed.push('data after the image')
  if (!removed.length) return { bytes: b, removed, orientation: 1 }
  return { bytes: Buffer.concat(out), removed, orientation: 1 }
}

// ---------------------------------------------------------------------------------------------

/** Strips location metadata from an image of any kind we take; other bytes come back as they are. */
export function stripLocation(b: Buffer): Stripped {
  if (b[0] === 0xff && b[1] === 0xd8) return stripJpeg(b)
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) return stripPng(b)
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return stripWebp(b)
  if (b.toString('latin1', 0, 3) === 'GIF') return stripGif(b)
  return { bytes: b, removed: [], orientation: 1 }
}

/**
 * Puts the cleaned bytes in place of the stored original (`key`). Both drivers replace an
 * object whole (local disk writes a temporary file and renames it), so a download running
 * meanwhile gets one version or the other, never a mix.
 */
export async function replaceOriginal(key: string, cleanedPath: string) {
  const st = await fs.stat(cleanedPath)
  const before = await storage.stat(key)
  await storage.put(key, createReadStream(cleanedPath), { size: st.size, contentType: before?.contentType })
}
