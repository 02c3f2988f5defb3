/**
 * Local-disk storage: the embedded default. Objects live under one root folder; signed URLs
 * point at the app's own /files route with a `download` capability token for one key
 * (storage/capabilities.ts). They are paths, not absolute URLs, so a download stays on
 * whichever host name the visitor is on (a platform's own domain included).
 */
import { createReadStream, createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { randomBytes } from 'node:crypto'
import { isValidKey } from './keys.ts'
import { signDownload } from './capabilities.ts'
import type { ObjectInfo, StorageDriver } from './types.ts'

export class LocalDiskDriver implements StorageDriver {
  readonly kind = 'local' as const
  constructor(
    private readonly root: string,
    private readonly secret: string,
  ) {}

  /** The root folder (the /files route serves keys relative to it). */
  get rootDir() {
    return path.resolve(this.root)
  }

  /** Resolves a key to a path and refuses anything that would escape the root. */
  pathFor(key: string) {
    if (!isValidKey(key)) throw new Error('invalid object key')
    const p = path.resolve(this.root, key)
    if (!p.startsWith(path.resolve(this.root) + path.sep)) throw new Error('invalid object key')
    return p
  }

  async put(key: string, body: Readable | Buffer, opts: { contentType?: string } = {}) {
    const target = this.pathFor(key)
    await fs.mkdir(path.dirname(target), { recursive: true })
    // Write to a temporary file and rename: a reader never sees half an object.
    const tmp = `${target}.${randomBytes(6).toString('hex')}.part`
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(tmp))
      await fs.rename(tmp, target)
      if (opts.contentType) await fs.writeFile(`${target}.meta.json`, JSON.stringify({ contentType: opts.contentType }))
    } catch (e) {
      await fs.rm(tmp, { force: true })
      throw e
    }
  }

  async get(key: string, range?: { start: number; end?: number }) {
    const p = this.pathFor(key)
    await fs.access(p)
    return createReadStream(p, range ? { start: range.start, end: range.end } : {})
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    const p = this.pathFor(key)
    try {
      const st = await fs.stat(p)
      const meta = await fs
        .readFile(`${p}.meta.json`, 'utf8')
        .then((s) => JSON.parse(s) as { contentType?: string })
        .catch(() => ({}) as { contentType?: string })
      return { size: st.size, lastModified: st.mtime, contentType: meta.contentType }
    } catch {
      return null
    }
  }

  async remove(key: string) {
    const p = this.pathFor(key)
    await fs.rm(p, { force: true })
    await fs.rm(`${p}.meta.json`, { force: true })
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = path.resolve(this.root)
    const start = path.resolve(base, prefix)
    if (!start.startsWith(base)) return
    const entries = await fs.readdir(start, { recursive: true, withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (!e.isFile() || e.name.endsWith('.meta.json') || e.name.endsWith('.part')) continue
      yield path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/')
    }
  }

  async signedUrl(key: string, expiresInSeconds: number, opts: { downloadName?: string } = {}) {
    this.pathFor(key)
    const name = opts.downloadName ?? ''
    const token = signDownload(this.secret, key, name, expiresInSeconds)
    return `/files/${token}/${encodeURIComponent(name || key.split('/').pop()!)}`
  }

  async check() {
    await fs.mkdir(this.root, { recursive: true })
    const probe = path.join(this.root, '.readiness')
    await fs.writeFile(probe, String(Date.now()))
    await fs.rm(probe, { force: true })
  }
}
