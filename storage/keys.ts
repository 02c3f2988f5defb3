/**
 * Every object key is built here, so originals and derivatives stay apart and a key can never
 * be steered by user input (ids are checked; uploaders' file names never appear in keys).
 *   originals/<platformId>/<resourceId>/<fileId>            the uploaded bytes
 *   derived/<platformId>/<resourceId>/<fileId>/<output>/…   what processing made of them
 *   covers/<platformId>/<resourceId>/<hash>.webp            the cover card of a resource with no
 *                                                           picture of its own (workers/jobs/cover.ts)
 * Covers belong to a resource, not to a file, so they live outside derived/ (whose fourth
 * segment is always a file id: the orphan sweep and the media tokens rely on it).
 */
import { createHash } from 'node:crypto'

const SAFE_ID = /^[a-z0-9]{8,40}$/i
const SAFE_SEGMENT = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,120}$/

function id(v: string, what: string) {
  if (!SAFE_ID.test(v)) throw new Error(`unsafe ${what} in object key`)
  return v
}

function relPath(rel: string) {
  const parts = rel.split('/')
  if (!parts.every((p) => SAFE_SEGMENT.test(p) && p !== '..' && !p.includes('..')))
    throw new Error('unsafe derivative path in object key')
  return rel
}

export type FileRef = { platformId: string; resourceId: string; fileId: string }

export const objectKeys = {
  original: (f: FileRef) =>
    `originals/${id(f.platformId, 'platformId')}/${id(f.resourceId, 'resourceId')}/${id(f.fileId, 'fileId')}`,
  /** Prefix of everything derived from one file (ends with "/"). */
  derivedPrefix: (f: FileRef) =>
    `derived/${id(f.platformId, 'platformId')}/${id(f.resourceId, 'resourceId')}/${id(f.fileId, 'fileId')}/`,
  derived: (f: FileRef, rel: string) => objectKeys.derivedPrefix(f) + relPath(rel),
  healthProbe: () => `system/readiness-probe`,
  /** Prefix of a resource's cover cards (ends with "/"). */
  coverPrefix: (r: CoverRef) => `covers/${id(r.platformId, 'platformId')}/${id(r.resourceId, 'resourceId')}/`,
  /** The cover card for what the resource is now: a new title, type, subject or grade is a new key. */
  cover: (r: CoverRef, fields: CoverFields) => `${objectKeys.coverPrefix(r)}${coverHash(fields)}.webp`,
}

export type CoverRef = { platformId: string; resourceId: string }
/** What a cover card shows (workers/media/cover.ts draws exactly these). */
export type CoverFields = { title: string; type: string; subject: string | null; grade: string | null }
/** Bump when workers/media/cover.ts draws differently: every cover is then drawn again. */
export const COVER_DESIGN = 1

export function coverHash(f: CoverFields) {
  return createHash('sha256')
    .update(JSON.stringify([COVER_DESIGN, f.title, f.type, f.subject ?? '', f.grade ?? '']))
    .digest('hex')
    .slice(0, 16)
}

/** One cover card's key, exactly: covers/<platform>/<resource>/<16 hex>.webp. */
const COVER_KEY = /^covers\/([a-zA-Z0-9]{8,40})\/([a-zA-Z0-9]{8,40})\/([0-9a-f]{16})\.webp$/

/** The resource a cover key belongs to, or null when the key is not exactly one cover. */
export function parseCoverKey(key: string): CoverRef | null {
  const m = COVER_KEY.exec(key)
  return m ? { platformId: m[1]!, resourceId: m[2]! } : null
}

/** The file an original key belongs to, or null. */
export function parseOriginalKey(key: string): FileRef | null {
  const m = /^originals\/([a-z0-9]{8,40})\/([a-z0-9]{8,40})\/([a-z0-9]{8,40})$/i.exec(key)
  return m ? { platformId: m[1]!, resourceId: m[2]!, fileId: m[3]! } : null
}

export function isValidKey(key: string) {
  return /^(originals|derived|covers|system)\/[a-zA-Z0-9._/-]+$/.test(key) && !key.split('/').includes('..')
}

const TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  vtt: 'text/vtt; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
}

/** Content type of a derivative from its extension (we name every derivative ourselves). */
export function contentTypeFor(key: string) {
  return TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream'
}
