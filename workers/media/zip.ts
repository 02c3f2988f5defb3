/**
 * Reads a ZIP file's central directory without unpacking anything: enough to tell DOCX, PPTX
 * and XLSX apart and to refuse zip bombs (entries that would unpack to far more than the file)
 * before LibreOffice sees them. Reads only the tail of the file.
 */
import fs from 'node:fs/promises'

export type ZipEntry = { name: string; compressed: number; uncompressed: number }

export class ZipError extends Error {}

export async function readZipDirectory(file: string): Promise<ZipEntry[]> {
  const fh = await fs.open(file, 'r')
  try {
    const { size } = await fh.stat()
    const tailLen = Math.min(size, 65_557) // EOCD (22) + the longest comment
    const tail = Buffer.alloc(tailLen)
    await fh.read(tail, 0, tailLen, size - tailLen)
    let eocd = -1
    for (let i = tailLen - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i
        break
      }
    if (eocd < 0) throw new ZipError('no end of central directory')
    let count = tail.readUInt16LE(eocd + 10)
    let cdSize = tail.readUInt32LE(eocd + 12)
    let cdOffset = tail.readUInt32LE(eocd + 16)
    if (cdOffset === 0xffffffff || count === 0xffff) {
      // ZIP64: the locator sits just before the EOCD.
      const loc = eocd - 20
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new ZipError('bad zip64 locator')
      const rec = Buffer.alloc(56)
      await fh.read(rec, 0, 56, Number(tail.readBigUInt64LE(loc + 8)))
      if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipError('bad zip64 record')
      count = Number(rec.readBigUInt64LE(32))
      cdSize = Number(rec.readBigUInt64LE(40))
      cdOffset = Number(rec.readBigUInt64LE(48))
    }
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024 || count > 200_000)
      throw new ZipError('central directory out of bounds')
    const cd = Buffer.alloc(cdSize)
    await fh.read(cd, 0, cdSize, cdOffset)
    const entries: ZipEntry[] = []
    let p = 0
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError('truncated central directory')
      let compressed = cd.readUInt32LE(p + 20)
      let uncompressed = cd.readUInt32LE(p + 24)
      const nameLen = cd.readUInt16LE(p + 28)
      const extraLen = cd.readUInt16LE(p + 30)
      const commentLen = cd.readUInt16LE(p + 32)
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen)
      // ZIP64 extra field carries the real sizes when the 32-bit ones are saturated.
      let x = p + 46 + nameLen
      const xEnd = x + extraLen
      while (x + 4 <= xEnd) {
        const id = cd.readUInt16LE(x)
        const len = cd.readUInt16LE(x + 2)
        if (id === 0x0001) {
          let q = x + 4
          if (uncompressed === 0xffffffff && q + 8 <= x + 4 + len) {
            uncompressed = Number(cd.readBigUInt64LE(q))
            q += 8
          }
          if (compressed === 0xffffffff && q + 8 <= x + 4 + len) compressed = Number(cd.readBigUInt64LE(q))
        }
        x += 4 + len
      }
      entries.push({ name, compressed, uncompressed })
      p = xEnd + commentLen
    }
    return entries
  } finally {
    await fh.close()
  }
}

export type OfficeFormat = 'docx' | 'pptx' | 'xlsx'

export function officeFormat(entries: ZipEntry[]): OfficeFormat | null {
  const names = new Set(entries.map((e) => e.name))
  if (!names.has('[Content_Types].xml')) return null
  if (names.has('word/document.xml')) return 'docx'
  if (names.has('ppt/presentation.xml')) return 'pptx'
  if (names.has('xl/workbook.xml')) return 'xlsx'
  return null
}

/** True when unpacking would exceed `maxUnpacked` bytes or any big entry is implausibly dense. */
export function looksLikeBomb(entries: ZipEntry[], maxUnpacked: number) {
  let total = 0
  for (const e of entries) {
    total += e.uncompressed
    if (e.uncompressed > 50 * 1024 * 1024 && e.uncompressed / Math.max(1, e.compressed) > 200) return true
  }
  return total > maxUnpacked
}
