/**
 * What a file is, from its first bytes: never from its name or the browser's guess. The
 * tus endpoint sniffs the first chunk and refuses anything we cannot handle before the rest
 * arrives; the worker's probe step then confirms by opening the file (ffprobe, pdfinfo, sharp,
 * the zip directory). Office ZIP formats are told apart by their entries (see zip.server.ts).
 */
import type { MediaKind } from '~/lib/db.server.ts'

export type Sniffed = { kind: MediaKind; format: string; mime: string }

/** Bytes the sniffer wants to see (ZIP office detection reads the directory later). */
export const SNIFF_BYTES = 4100

const ascii = (b: Buffer, start: number, s: string) =>
  b.length >= start + s.length && b.toString('latin1', start, start + s.length) === s
const hex = (b: Buffer, start: number, h: string) => {
  const want = Buffer.from(h.replace(/\s/g, ''), 'hex')
  return b.length >= start + want.length && b.subarray(start, start + want.length).equals(want)
}

const ASF_GUID = '3026B2758E66CF11A6D900AA0062CE6C'
const OLE2 = 'D0CF11E0A1B11AE1'

export function sniff(b: Buffer): Sniffed | null {
  if (b.length < 4) return null
  // Containers that carry a brand.
  if (ascii(b, 4, 'ftyp')) {
    const brand = b.toString('latin1', 8, 12)
    if (brand === 'qt  ') return { kind: 'VIDEO', format: 'mov', mime: 'video/quicktime' }
    if (brand.startsWith('M4A') || brand.startsWith('M4B')) return { kind: 'AUDIO', format: 'm4a', mime: 'audio/mp4' }
    return { kind: 'VIDEO', format: 'mp4', mime: 'video/mp4' }
  }
  if (hex(b, 0, '1A45DFA3')) {
    const head = b.toString('latin1', 0, Math.min(b.length, 64))
    return head.includes('webm')
      ? { kind: 'VIDEO', format: 'webm', mime: 'video/webm' }
      : { kind: 'VIDEO', format: 'mkv', mime: 'video/x-matroska' }
  }
  if (ascii(b, 0, 'RIFF')) {
    const sub = b.toString('latin1', 8, 12)
    if (sub === 'AVI ') return { kind: 'VIDEO', format: 'avi', mime: 'video/x-msvideo' }
    if (sub === 'WAVE') return { kind: 'AUDIO', format: 'wav', mime: 'audio/wav' }
    if (sub === 'WEBP') return { kind: 'IMAGE', format: 'webp', mime: 'image/webp' }
    return null
  }
  if (ascii(b, 0, 'FLV') && b[3] === 1) return { kind: 'VIDEO', format: 'flv', mime: 'video/x-flv' }
  if (hex(b, 0, ASF_GUID)) return { kind: 'VIDEO', format: 'wmv', mime: 'video/x-ms-wmv' }
  if (ascii(b, 0, 'ID3') || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0))
    return { kind: 'AUDIO', format: 'mp3', mime: 'audio/mpeg' }
  // Documents.
  if (ascii(b, 0, '%PDF-')) return { kind: 'DOCUMENT', format: 'pdf', mime: 'application/pdf' }
  if (hex(b, 0, OLE2)) return { kind: 'DOCUMENT', format: 'ole', mime: 'application/x-ole-storage' } // DOC, PPT, XLS, WPS
  if (hex(b, 0, '504B0304')) return { kind: 'DOCUMENT', format: 'zip', mime: 'application/zip' } // DOCX/PPTX/XLSX, checked in the probe
  // Images.
  if (hex(b, 0, 'FFD8FF')) return { kind: 'IMAGE', format: 'jpeg', mime: 'image/jpeg' }
  if (hex(b, 0, '89504E470D0A1A0A')) return { kind: 'IMAGE', format: 'png', mime: 'image/png' }
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { kind: 'IMAGE', format: 'gif', mime: 'image/gif' }
  // Text subtitles (UTF-8, optional BOM).
  const text = b.toString('utf8', hex(b, 0, 'EFBBBF') ? 3 : 0, Math.min(b.length, 512))
  if (/^WEBVTT(?:[ \t].*)?(?:\r?\n|$)/.test(text)) return { kind: 'SUBTITLE', format: 'vtt', mime: 'text/vtt' }
  if (/^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/.test(text))
    return { kind: 'SUBTITLE', format: 'srt', mime: 'application/x-subrip' }
  return null
}

/** A guess from the file name, used only to apply the right size limit before any byte
 * arrives; the content decides everything else. */
export function kindFromName(name: string): MediaKind | null {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  if (['mp4', 'mov', 'mkv', 'webm', 'avi', 'flv', 'wmv', 'm4v'].includes(ext)) return 'VIDEO'
  if (['mp3', 'm4a', 'wav', 'aac'].includes(ext)) return 'AUDIO'
  if (['pdf', 'doc', 'docx', 'ppt', 'pptx', 'xls', 'xlsx', 'wps', 'et', 'dps'].includes(ext)) return 'DOCUMENT'
  if (['jpg', 'jpeg', 'png', 'webp', 'gif'].includes(ext)) return 'IMAGE'
  if (['srt', 'vtt'].includes(ext)) return 'SUBTITLE'
  return null
}
