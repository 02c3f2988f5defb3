/** Where the local tus store keeps its bookkeeping for an upload: beside the object tree, not
 * inside it (`<root>-tus/<sha1 of key>.json`), so listings of the store show only objects. */
import { createHash } from 'node:crypto'
import path from 'node:path'

export const tusMetaDir = (root: string) =>
  path.join(path.dirname(path.resolve(root)), `${path.basename(path.resolve(root))}-tus`)
export const tusMetaFile = (dir: string, key: string) =>
  path.join(dir, `${createHash('sha1').update(key).digest('hex')}.json`)
