import type { Readable } from 'node:stream'

export type ObjectInfo = { size: number; contentType?: string; etag?: string; lastModified?: Date }

/** What every storage driver provides. Everything is private; browsers only ever get
 * time-limited signed URLs. */
export interface StorageDriver {
  readonly kind: 'local' | 's3'
  put(key: string, body: Readable | Buffer, opts?: { contentType?: string; size?: number }): Promise<void>
  get(key: string, range?: { start: number; end?: number }): Promise<Readable>
  stat(key: string): Promise<ObjectInfo | null>
  remove(key: string): Promise<void>
  /** Keys under a prefix (for clean-up and orphan checks). */
  list(prefix: string): AsyncIterable<string>
  /** A URL a browser may GET until `expiresInSeconds` pass; Range requests are honoured. */
  signedUrl(key: string, expiresInSeconds: number, opts?: { downloadName?: string }): Promise<string>
  /** Throws unless the store is reachable and writable. */
  check(): Promise<void>
}
