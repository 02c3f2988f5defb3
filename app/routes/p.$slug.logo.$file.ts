/** GET /p/:slug/logo/:hash.webp — the platform's current logo, as processed on upload (a
 * re-encoded WebP; never the uploaded bytes). Public and cacheable for good: the name is the
 * image's hash, so a new logo has a new address. Anything else under this path is a 404. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requirePlatform } from '~/lib/platform.server.ts'
import { readCurrentLogo } from '~/services/platform/platform-logo.server.ts'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const logo = await readCurrentLogo(platform, params.file ?? '')
  if (!logo) throw new Response('error.notFound.body', { status: 404 })
  return new Response(logo.bytes, {
    headers: {
      'Content-Type': 'image/webp',
      'Content-Length': String(logo.bytes.length),
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: `"${logo.hash}"`,
      // Opened on its own, it is an image and nothing else.
      // (X-Content-Type-Options: nosniff comes with every response: app/server/security.ts.)
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Content-Disposition': 'inline; filename="logo.webp"',
    },
  })
}
