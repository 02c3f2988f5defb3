/**
 * Where tus keeps an upload while it arrives, on either storage driver, and how to remove every
 * trace of one. The web process serves uploads through this store (app/server/uploads.ts); the
 * storage sweep (app/services/media/orphans.server.ts) removes abandoned ones with it.
 *  - local disk: `@tus/file-store` writes the bytes straight into the original's file; its
 *    bookkeeping (offset, length) is a JSON file outside the object tree (storage/tus-meta.ts);
 *  - S3: `@tus/s3-store` uploads parts into a multipart upload on the original's key, with
 *    `<key>.info` (the multipart upload's id, the offset) and `<key>.part` (a chunk shorter than
 *    a part) beside it; until the upload completes, the parts are in no listing of objects.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { DataStore } from '@tus/server'
import { FileStore } from '@tus/file-store'
import { S3Store } from '@tus/s3-store'
import type { KvStore, Upload } from '@tus/utils'
import { env } from '~/lib/env.server.ts'
import { logger } from '~/lib/logger.server.ts'
import { storage } from '../../../storage/index.ts'
import { tusMetaDir, tusMetaFile } from '../../../storage/tus-meta.ts'

/** tus bookkeeping for the local store, kept outside the object tree. */
class JsonKvStore implements KvStore<Upload> {
  constructor(private readonly dir: string) {}
  private file(key: string) {
    return tusMetaFile(this.dir, key)
  }
  async get(key: string) {
    return fs
      .readFile(this.file(key), 'utf8')
      .then((s) => JSON.parse(s) as Upload)
      .catch(() => undefined)
  }
  async set(key: string, value: Upload) {
    await fs.mkdir(this.dir, { recursive: true })
    await fs.writeFile(this.file(key), JSON.stringify(value))
  }
  async delete(key: string) {
    await fs.rm(this.file(key), { force: true })
  }
  async list() {
    return []
  }
}

/** The local store's bookkeeping folder. */
export const localTusMetaDir = () => tusMetaDir(path.resolve(env().STORAGE_LOCAL_ROOT))

/** A tus data store over the configured storage driver, writing to objects' own keys. */
export function createTusDataStore(): DataStore {
  const e = env()
  if (e.STORAGE_DRIVER === 's3') {
    return new S3Store({
      partSize: 8 * 1024 * 1024,
      s3ClientConfig: {
        bucket: e.S3_BUCKET,
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        forcePathStyle: true,
        credentials: { accessKeyId: e.S3_ACCESS_KEY, secretAccessKey: e.S3_SECRET_KEY },
        // The AWS SDK's default checksums are refused by Ceph RGW (and older MinIO): send them only when S3 requires them.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      },
    })
  }
  const root = path.resolve(e.STORAGE_LOCAL_ROOT)
  return new FileStore({ directory: root, configstore: new JsonKvStore(tusMetaDir(root)) })
}

let store: DataStore | undefined

/**
 * Removes everything an upload to `key` may have left, whatever state it reached: on S3 the
 * multipart upload is aborted (its parts are otherwise kept, and billed, for ever), then the
 * object, `.info` and `.part` go; on local disk the file and its bookkeeping. Safe to repeat.
 */
export async function removeUploadBytes(key: string) {
  store ??= createTusDataStore()
  // tus's own removal aborts the multipart upload; it fails when there is nothing left to
  // remove, which is fine: the objects are removed one by one below in any case.
  await store.remove(key).catch((err: unknown) => logger.debug({ err, key }, 'tus store had nothing to remove'))
  await storage.remove(key)
  if (storage.kind === 's3') {
    await storage.remove(`${key}.info`)
    await storage.remove(`${key}.part`)
  } else {
    await fs.rm(tusMetaFile(localTusMetaDir(), key), { force: true })
  }
}

/**
 * The local store's bookkeeping files: the key each is for and when it last changed (the
 * sweep removes those no uploading file accounts for). Nothing on S3, where the bookkeeping
 * objects sit beside the originals and are listed with them.
 */
export async function* localTusBookkeeping(): AsyncGenerator<{
  key: string | null
  modified: Date
  remove: () => Promise<void>
}> {
  if (storage.kind !== 'local') return
  const dir = localTusMetaDir()
  const names = await fs.readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (!name.endsWith('.json')) continue
    const file = path.join(dir, name)
    const st = await fs.stat(file).catch(() => null)
    if (!st?.isFile()) continue
    const id = await fs
      .readFile(file, 'utf8')
      .then((s) => (JSON.parse(s) as { id?: unknown }).id)
      .catch(() => undefined)
    yield {
      key: typeof id === 'string' ? id : null,
      modified: st.mtime,
      remove: () => fs.rm(file, { force: true }),
    }
  }
}
