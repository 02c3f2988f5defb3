/** The storage module everything uses: local disk (default) or S3, chosen by STORAGE_DRIVER. */
import path from 'node:path'
import { env } from '../app/lib/env.server.ts'
import { singleton } from '../app/lib/singleton.server.ts'
import { LocalDiskDriver } from './local-driver.ts'
import { S3Driver } from './s3-driver.ts'
import type { StorageDriver } from './types.ts'

export { objectKeys } from './keys.ts'
export type { StorageDriver, ObjectInfo } from './types.ts'

export const storage: StorageDriver = singleton('storage', () => {
  const e = env()
  if (e.STORAGE_DRIVER === 's3')
    return new S3Driver({
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKey: e.S3_ACCESS_KEY,
      secretKey: e.S3_SECRET_KEY,
    })
  return new LocalDiskDriver(path.resolve(e.STORAGE_LOCAL_ROOT), e.SESSION_SECRET)
})
