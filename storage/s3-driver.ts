/**
 * S3 storage through the `minio` client: MinIO in production; any S3 server in tests
 * (Ceph RGW here, see the ingest issue). Objects are private; browsers get presigned GETs.
 */
import { Client } from 'minio'
import type { Readable } from 'node:stream'
import { isValidKey } from './keys.ts'
import type { ObjectInfo, StorageDriver } from './types.ts'

export type S3Config = { endpoint: string; region: string; bucket: string; accessKey: string; secretKey: string }

export class S3Driver implements StorageDriver {
  readonly kind = 's3' as const
  private readonly client: Client
  constructor(private readonly cfg: S3Config) {
    const u = new URL(cfg.endpoint)
    this.client = new Client({
      endPoint: u.hostname,
      port: u.port ? Number(u.port) : undefined,
      useSSL: u.protocol === 'https:',
      accessKey: cfg.accessKey,
      secretKey: cfg.secretKey,
      region: cfg.region,
      pathStyle: true,
    })
  }

  private key(key: string) {
    if (!isValidKey(key)) throw new Error('invalid object key')
    return key
  }

  async ensureBucket() {
    if (!(await this.client.bucketExists(this.cfg.bucket)))
      await this.client.makeBucket(this.cfg.bucket, this.cfg.region)
  }

  async put(key: string, body: Readable | Buffer, opts: { contentType?: string; size?: number } = {}) {
    await this.client.putObject(
      this.cfg.bucket,
      this.key(key),
      body,
      opts.size,
      opts.contentType ? { 'Content-Type': opts.contentType } : {},
    )
  }

  async get(key: string, range?: { start: number; end?: number }) {
    if (!range) return this.client.getObject(this.cfg.bucket, this.key(key))
    const length = range.end === undefined ? 0 : range.end - range.start + 1
    return this.client.getPartialObject(this.cfg.bucket, this.key(key), range.start, length)
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    try {
      // statObject, not the upload's ETag: RGW returns an empty ETag for multipart uploads.
      const s = await this.client.statObject(this.cfg.bucket, this.key(key))
      return {
        size: s.size,
        etag: s.etag,
        lastModified: s.lastModified,
        contentType: s.metaData?.['content-type'] as string | undefined,
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'NotFound' || (e as { code?: string }).code === 'NoSuchKey') return null
      throw e
    }
  }

  async remove(key: string) {
    await this.client.removeObject(this.cfg.bucket, this.key(key))
  }

  async *list(prefix: string): AsyncIterable<string> {
    const stream = this.client.listObjectsV2(this.cfg.bucket, prefix, true)
    for await (const item of stream as AsyncIterable<{ name?: string }>) if (item.name) yield item.name
  }

  async signedUrl(key: string, expiresInSeconds: number, opts: { downloadName?: string } = {}) {
    const headers: Record<string, string> = {}
    if (opts.downloadName)
      headers['response-content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(opts.downloadName)}`
    return this.client.presignedGetObject(this.cfg.bucket, this.key(key), expiresInSeconds, headers)
  }

  async check() {
    if (!(await this.client.bucketExists(this.cfg.bucket))) throw new Error(`bucket ${this.cfg.bucket} does not exist`)
  }
}
