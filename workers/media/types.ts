import { UnrecoverableError } from 'bullmq'
import type { MediaKind, Prisma } from '../../app/lib/db.server.ts'
import type { MessageKey } from '../../app/lib/i18n/index.ts'
import { env } from '../../app/lib/env.server.ts'

/** What probing records about a file (ResourceFile.probe). */
export type Probe = {
  format: string
  durationSec?: number
  width?: number
  height?: number
  fps?: number
  videoCodec?: string
  audioCodec?: string
  hasAudio?: boolean
  pages?: number
  /** For documents: the format LibreOffice should read it as. */
  officeFormat?: string
}

export type StepFile = {
  id: string
  platformId: string
  resourceId: string
  kind: MediaKind | null
  probe: Probe | null
  originalName: string
}

export type StepInput = {
  file: StepFile
  /** Local path of the original (read-only). */
  source: string
  /** This step's scratch folder. */
  dir: string
  signal: AbortSignal
  /** Local path of an earlier step's single-file derivative, or null. */
  derivative: (name: string) => Promise<string | null>
}

export type StepOutput = {
  /** Files or folders to publish as derivatives, named; a folder keeps its inner layout. */
  outputs?: { name: string; path: string; isDir?: boolean; meta?: Prisma.InputJsonValue }[]
  fileUpdate?: { kind?: MediaKind; mimeType?: string; probe?: Probe; textContent?: string; size?: number }
  /** Cleaned bytes to store in place of the original (strip-location.ts; images only). */
  original?: { path: string; removed: string[] }
}

/**
 * Bad input: the file cannot become a resource. Not retried; the uploader sees `key`
 * (in Chinese), the bytes are removed. `detail` is for admins and logs.
 */
export class MediaRejection extends UnrecoverableError {
  constructor(
    readonly key: MessageKey,
    readonly detail = '',
  ) {
    super(`${key}${detail ? `: ${detail}` : ''}`)
  }
}

/** A step's time limit, scaled by MEDIA_TIMEOUT_FACTOR; never under 5 s (tool start-up). */
export const timeout = (ms: number) => Math.max(5_000, Math.round(ms * env().MEDIA_TIMEOUT_FACTOR))
