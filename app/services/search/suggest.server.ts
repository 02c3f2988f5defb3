/**
 * Suggestions as a teacher types: curriculum terms (knowledge points, chapter and section
 * names) that contain what was typed, then titles of the best matching published resources in
 * this portal's scope.
 */
import { stripControl } from '~/lib/text.ts'
import { curriculumTerms, resourcesIndexUid } from '../../../search/resources-index.ts'
import { search } from '../../../search/client.ts'
import type { ResourceDocument } from '../../../search/resource-document.ts'
import type { PlatformRef } from '../authorization.server.ts'
import { scopeFilter } from './search-resources.server.ts'
import { validation } from '~/lib/errors.ts'

export async function suggest(portal: PlatformRef, raw: string | null, limit = 8) {
  const q = stripControl(raw ?? '').trim()
  if ([...q].length > 30) throw validation({ q: 'search.error.queryTooLong' }, 'search.error.queryTooLong')
  if (!q) return []
  const [dict, res] = await Promise.all([
    curriculumTerms(),
    search
      .index<ResourceDocument>(resourcesIndexUid())
      .search(q, { filter: [scopeFilter(portal)], limit: 5, attributesToRetrieve: ['id', 'title'] }),
  ])
  const lower = q.toLowerCase()
  const fromTerms = dict
    .filter((t) => t.includes(lower))
    .sort((a, b) => Number(!b.startsWith(lower)) - Number(!a.startsWith(lower)) || a.length - b.length)
  const out = new Map<string, { text: string; kind: 'term' | 'title'; id?: string }>()
  for (const t of fromTerms.slice(0, 4)) out.set(t, { text: t, kind: 'term' })
  for (const h of res.hits) if (!out.has(h.title)) out.set(h.title, { text: h.title, kind: 'title', id: h.id })
  return [...out.values()].slice(0, limit)
}
