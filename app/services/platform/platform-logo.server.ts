/**
 * Where a platform's processed logo lives and how it is served (ADR 0016).
 *   stored:  system/branding/<platformId>/logo-<hash>.webp   (written only by updatePlatformLogo,
 *            after the upload was checked and re-encoded by sharp)
 *   served:  /p/<slug>/logo/<hash>.webp                      (app/routes/p.$slug.logo.$file.ts)
 * A logo is public (every visitor sees it in the header), so its address is stable and carries no
 * token; the route serves the platform's *current* logo only, and only if its bytes are WebP.
 *
 * The key sits under `system/`, which the storage sweep (app/services/media/orphans.server.ts)
 * never walks: under `derived/` it would be taken for an orphaned derivative. Its builder belongs
 * with the others in storage/keys.ts (`objectKeys`), where it should move.
 */
import { storage } from '../../../storage/index.ts'

const SAFE_ID = /^[a-z0-9]{8,40}$/i
const HASH = /^[a-f0-9]{16}$/

export function logoKey(platformId: string, hash: string) {
  if (!SAFE_ID.test(platformId) || !HASH.test(hash)) throw new Error('unsafe logo key')
  return `system/branding/${platformId}/logo-${hash}.webp`
}

export function logoUrlFor(slug: string, hash: string) {
  if (!/^[a-z0-9-]{1,64}$/.test(slug) || !HASH.test(hash)) throw new Error('unsafe logo address')
  return `/p/${slug}/logo/${hash}.webp`
}

const isWebp = (b: Buffer) =>
  b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'

/** The bytes of `platform`'s current logo if `file` names it, else null (→ 404). */
export async function readCurrentLogo(platform: { id: string; slug: string; logoUrl: string | null }, file: string) {
  const m = /^([a-f0-9]{16})\.webp$/.exec(file)
  if (!m || !platform.logoUrl || platform.logoUrl !== logoUrlFor(platform.slug, m[1]!)) return null
  const key = logoKey(platform.id, m[1]!)
  if (!(await storage.stat(key))) return null
  const chunks: Buffer[] = []
  for await (const c of await storage.get(key)) chunks.push(c as Buffer)
  const bytes = Buffer.concat(chunks)
  // Defence in depth: whatever might have been put under that key, only a WebP image goes out.
  return isWebp(bytes) ? { bytes, hash: m[1]! } : null
}
