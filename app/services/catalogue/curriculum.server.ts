/**
 * Reading the curriculum tree: children of a node (for pickers and browsing), a node's trail
 * from the root (breadcrumbs), and the knowledge points of a chapter. The tree changes only
 * when the taxonomy is re-seeded, so reads are cached briefly in-process. Names come in the
 * reader's language where the node has a name in it (curriculum-names.ts); Chinese otherwise.
 */
import { prisma } from '~/lib/db.server.ts'
import { DEFAULT_LOCALE, type Locale } from '~/lib/i18n/index.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'
import { localiseNode } from './curriculum-names.ts'

export type TreeNode = { id: string; name: string; level: string; hasChildren: boolean }

const childrenCache = ttlCache<string, TreeNode[]>(60_000)
const trailCache = ttlCache<string, { id: string; name: string; level: string }[]>(60_000)

export async function curriculumChildren(parentId: string | null, locale: Locale = DEFAULT_LOCALE) {
  const nodes = await childrenCache.get(parentId ?? '', async () => {
    const rows = await prisma.curriculumNode.findMany({
      where: { parentId },
      orderBy: { position: 'asc' },
      select: { id: true, name: true, level: true, _count: { select: { children: true } } },
    })
    return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, hasChildren: r._count.children > 0 }))
  })
  return nodes.map((n) => localiseNode(n, locale))
}

/** The node and its ancestors, root first; empty for an unknown id. */
export async function curriculumTrail(nodeId: string, locale: Locale = DEFAULT_LOCALE) {
  const trail = await trailCache.get(nodeId, async () => {
    const node = await prisma.curriculumNode.findUnique({ where: { id: nodeId }, select: { path: true } })
    if (!node) return []
    const ids = node.path.split('/')
    const rows = await prisma.curriculumNode.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, level: true },
    })
    return ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean)
  })
  return trail.map((n) => localiseNode(n, locale))
}

/** Knowledge points attached to the node or to the chapter it sits in (their names are Chinese only). */
export async function knowledgePointsFor(nodeId: string) {
  const trail = await curriculumTrail(nodeId)
  const ids = trail.filter((n) => n.level === 'CHAPTER' || n.level === 'SECTION').map((n) => n.id)
  if (!ids.length) return []
  const rows = await prisma.curriculumKnowledgePoint.findMany({
    where: { nodeId: { in: ids } },
    select: { knowledgePoint: { select: { id: true, name: true } } },
  })
  return [...new Map(rows.map((r) => [r.knowledgePoint.id, r.knowledgePoint])).values()]
}

/** A short label for a position: "人教版 八年级下册 第十七章 勾股定理" (in English the names are
 * longer and carry commas: "PEP (People's Education Press) › Grade 8, volume 2 › Chapter 17 勾股定理"). */
export function positionLabel(trail: { name: string; level: string }[], locale: Locale = DEFAULT_LOCALE) {
  return trail
    .filter((n) => n.level !== 'STAGE' && n.level !== 'SUBJECT')
    .map((n) => n.name)
    .join(locale === 'en' ? ' › ' : ' ')
}
