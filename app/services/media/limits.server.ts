/** Size and content limits per kind of file, from the environment (see .env.example). */
import os from 'node:os'
import path from 'node:path'
import { env } from '~/lib/env.server.ts'
import type { MediaKind } from '~/lib/db.server.ts'

const MB = 1024 * 1024

export function maxBytes(kind: MediaKind): number {
  const e = env()
  const mb = {
    VIDEO: e.UPLOAD_MAX_VIDEO_MB,
    AUDIO: e.UPLOAD_MAX_AUDIO_MB,
    DOCUMENT: e.UPLOAD_MAX_DOCUMENT_MB,
    IMAGE: e.UPLOAD_MAX_IMAGE_MB,
    SUBTITLE: e.UPLOAD_MAX_SUBTITLE_MB,
  }[kind]
  return Math.floor(mb * MB)
}

/** The largest file of any kind: the tus endpoint's outer bound before the type is known. */
export function maxAnyBytes() {
  return Math.max(...(['VIDEO', 'AUDIO', 'DOCUMENT', 'IMAGE', 'SUBTITLE'] as const).map(maxBytes))
}

export function workDir() {
  return env().WORK_DIR || path.join(os.tmpdir(), 'erc-work')
}

export const formatMb = (bytes: number) =>
  bytes < MB ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / MB) * 10) / 10} MB`
