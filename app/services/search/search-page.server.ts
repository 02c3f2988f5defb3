/**
 * What the catalogue page shows for a query on a portal: results, facets with their labels,
 * counts and toggle links, the curriculum tree at the current node with resource counts on
 * every child, and, when nothing matches, ways out (filters to drop, related curriculum terms).
 */
import { isMessageKey, type Translate } from '~/lib/i18n/index.ts'
import { CHILD_FIELD, taxonomyMap } from '../../../search/resource-document.ts'
import { curriculumTerms } from '../../../search/resources-index.ts'
import type { PlatformRef } from '../authorization.server.ts'
import { curriculumChildren, curriculumTrail } from '../catalogue/curriculum.server.ts'
import { editionName, stageName } from '../catalogue/curriculum-names.ts'
import {
  FACETS,
  platformNameMap,
  searchHref,
  searchResources,
  type FacetName,
  type SearchQuery,
} from './search-resources.server.ts'

const PARAM_OF: Record<FacetName, keyof SearchQuery> = {
  stage: 'stage',
  subject: 'subject',
  grade: 'grade',
  edition: 'edition',
  type: 'type',
  licence: 'licence',
  price: 'price',
  platform: 'platform',
  rating: 'rating',
}

export async function searchPage(portal: PlatformRef, q: SearchQuery, base: string, t: Translate) {
  const tax = await taxonomyMap()
  const current = q.node ? tax.get(q.node) : null
  const childField = CHILD_FIELD[current?.level ?? 'ROOT'] ?? null
  const [result, names, trail, children] = await Promise.all([
    searchResources(portal, q, { facets: true, childFacet: childField }),
    platformNameMap(),
    q.node ? curriculumTrail(q.node, t.locale) : Promise.resolve([]),
    curriculumChildren(q.node, t.locale),
  ])
  const editionNames = new Map<string, string>()
  for (const n of tax.values())
    if (n.level === 'EDITION' && n.edition && !editionNames.has(n.edition)) editionNames.set(n.edition, n.name)

  const label = (facet: FacetName, value: string): string => {
    const key = (k: string) => (isMessageKey(k) ? t(k) : value)
    switch (facet) {
      case 'stage':
        return stageName(value, tax.get(value)?.name ?? value, t.locale)
      case 'subject':
        return key(`subject.${value.toUpperCase()}`)
      case 'grade':
        return key(`grade.${value}`)
      case 'edition':
        return editionName(value, editionNames.get(value) ?? value, t.locale)
      case 'type':
        return key(`resourceType.${value}`)
      case 'licence':
        return key(`licence.${value}`)
      case 'price':
        return key(`search.price.${value}`)
      case 'platform':
        return names.get(value)?.name ?? value
      case 'rating':
        return t('search.starsAtLeast', { n: value })
    }
  }

  const facets = FACETS.map(([name, field]) => {
    const dist = result.facets[field] ?? {}
    const param = PARAM_OF[name]
    const selected = name === 'rating' ? (q.rating ? [String(q.rating)] : []) : (q[param] as string[])
    let values = Object.entries(dist).map(([value, count]) => ({ value, count }))
    if (name === 'rating') {
      // Stars facet: "at least N stars" counts include everything above N.
      values = [4, 3, 2, 1]
        .map((n) => ({
          value: String(n),
          count: Object.entries(dist)
            .filter(([s]) => Number(s) >= n)
            .reduce((a, [, c]) => a + c, 0),
        }))
        .filter((v) => v.count > 0)
    }
    for (const s of selected) if (!values.some((v) => v.value === s)) values.push({ value: s, count: 0 })
    return {
      name,
      values: values.map((v) => {
        const on = selected.includes(v.value)
        const change: Partial<SearchQuery> =
          name === 'rating'
            ? { rating: on ? null : Number(v.value) }
            : { [param]: on ? selected.filter((x) => x !== v.value) : [...selected, v.value] }
        return {
          value: v.value,
          label: label(name, v.value),
          count: v.count,
          selected: on,
          href: searchHref(base, q, change),
        }
      }),
    }
  }).filter((f) => f.values.length > 0)

  const nodeCounts = (childField && result.facets[childField]) || {}
  const tree = {
    trail: trail.map((n) => ({ ...n, href: searchHref(base, q, { node: n.id }) })),
    up: trail.length ? searchHref(base, q, { node: trail.length > 1 ? trail[trail.length - 2]!.id : null }) : null,
    children: children.map((c) => ({ ...c, count: nodeCounts[c.id] ?? 0, href: searchHref(base, q, { node: c.id }) })),
  }

  // Chips for what is active, each with the link that removes it.
  const active: { label: string; href: string }[] = []
  if (q.q) active.push({ label: `“${q.q}”`, href: searchHref(base, q, { q: '' }) })
  if (q.node)
    active.push({
      label: trail
        .map((n) => n.name)
        .slice(-2)
        .join(' › '),
      href: searchHref(base, q, { node: null }),
    })
  for (const f of facets) for (const v of f.values) if (v.selected) active.push({ label: v.label, href: v.href })

  let related: string[] = []
  if (result.total === 0 && q.q) {
    // Curriculum terms that share a two-character word with the query: 勾股 → 勾股定理.
    const dict = await curriculumTerms()
    const grams = new Set<string>()
    for (let i = 0; i + 2 <= q.q.length; i++) grams.add(q.q.slice(i, i + 2))
    related = dict.filter((term) => term !== q.q && [...grams].some((g) => term.includes(g))).slice(0, 8)
  }
  const pageHref = (page: number) => searchHref(base, q, { page })
  return {
    query: q,
    result,
    facets,
    tree,
    active,
    related: related.map((term) => ({ term, href: searchHref(base, { ...q, q: term }) })),
    clearAll: base,
    sortHrefs: Object.fromEntries(
      (['relevance', 'newest', 'downloads', 'rating'] as const).map((s) => [s, searchHref(base, q, { sort: s })]),
    ),
    prev: q.page > 1 ? pageHref(q.page - 1) : null,
    next: q.page < result.totalPages ? pageHref(q.page + 1) : null,
    pages: Array.from({ length: result.totalPages }, (_, i) => i + 1)
      .filter((p) => p === 1 || p === result.totalPages || Math.abs(p - q.page) <= 2)
      .map((p) => ({ page: p, href: pageHref(p), current: p === q.page })),
  }
}
