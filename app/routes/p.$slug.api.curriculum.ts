/**
 * GET /p/:slug/api/curriculum?parent=<node id> — the children of a curriculum node (the roots
 * without `parent`), and the knowledge points of a chapter. Public data: the tree is the same for
 * everyone. Used by the curriculum picker.
 */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { curriculumChildren, knowledgePointsFor } from '~/services/catalogue/curriculum.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePlatform(context, params.slug)
  const parent = new URL(request.url).searchParams.get('parent')
  if (parent !== null && !/^[a-z0-9.]{1,80}$/.test(parent))
    return Response.json({ error: 'bad parent' }, { status: 400 })
  const [children, knowledgePoints] = await Promise.all([
    curriculumChildren(parent || null, getLocale(request)),
    parent ? knowledgePointsFor(parent) : Promise.resolve([]),
  ])
  return Response.json(
    { children, knowledgePoints },
    { headers: { 'Cache-Control': 'public, max-age=300', Vary: 'Cookie' } },
  )
}
