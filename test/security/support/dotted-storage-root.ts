/**
 * Imported first by tests that must see storage as the demo lays it out: the default local root
 * is `.data/storage`, a folder whose name starts with a dot (downloads once failed there).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'erc-dotted-')), '.data', 'storage')
process.env.STORAGE_LOCAL_ROOT = root
export const DOTTED_STORAGE_ROOT = root
