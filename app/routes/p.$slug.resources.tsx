/**
 * 资源: the catalogue of a portal. Browse the curriculum tree (with counts on every node),
 * search in Chinese, narrow by facets, sort, page. All of it is in the URL, so a teacher can
 * bookmark or share "人教版 八年级下册 第十七章 勾股定理, 微课, best rated".
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Marked, Stars, yuan } from '~/components/catalogue/marked.tsx'
import { SearchBox } from '~/components/catalogue/search-box.tsx'
import { useT } from '~/components/i18n.tsx'
import { isAppError } from '~/lib/errors.ts'
import { translator, type MessageKey } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { searchPage } from '~/services/search/search-page.server.ts'
import { parseSearchParams } from '~/services/search/search-resources.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const links = platformLinks(context, platform)
  const base = links.href('/resources')
  let q
  try {
    q = parseSearchParams(new URL(request.url).searchParams)
  } catch (e) {
    if (!isAppError(e)) throw e
    // A malformed link gets a 400 and a page that says what is wrong and how to start over.
    return data(
      {
        error: { key: e.messageKey, param: String(e.params.param ?? '') },
        page: null,
        base,
        home: links.home,
        prefix: links.base,
      },
      { status: 400 },
    )
  }
  const page = await searchPage(platform, q, base, translator(getLocale(request)))
  return { error: null, page, base, home: links.home, prefix: links.base }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.page?.query.q ? `${data.page.query.q} · 资源` : '资源' },
]

function formatDuration(s: number) {
  const m = Math.floor(s / 60)
  return `${m}:${String(s % 60).padStart(2, '0')}`
}

export default function Catalogue() {
  const t = useT()
  const { error, page, base, home, prefix } = useLoaderData<typeof loader>()
  if (error || !page)
    return (
      <section data-testid="search-error">
        <h1>{t('resources.title')}</h1>
        <p className="alert alert-error" role="alert">
          {t(error!.key as MessageKey, { param: error!.param })}
        </p>
        <p>
          <Link to={base}>{t('search.startOver')}</Link> · <Link to={home}>{t('error.backHome')}</Link>
        </p>
      </section>
    )
  const { query, result, facets, tree, active } = page
  const hidden: [string, string][] = []
  if (query.node) hidden.push(['node', query.node])
  for (const name of ['stage', 'subject', 'grade', 'edition', 'type', 'licence', 'price', 'platform'] as const)
    for (const v of query[name]) hidden.push([name, v])
  if (query.rating) hidden.push(['rating', String(query.rating)])
  if (query.sort !== 'relevance') hidden.push(['sort', query.sort])

  return (
    <section className="catalogue">
      <h1>{t('resources.title')}</h1>
      <SearchBox base={prefix} action={base} defaultValue={query.q} hidden={hidden} />
      {active.length > 0 && (
        <p className="active-filters" data-testid="active-filters">
          {active.map((a) => (
            <Link
              key={a.href + a.label}
              to={a.href}
              className="chip chip-remove"
              aria-label={t('search.remove', { label: a.label })}
            >
              {a.label} ✕
            </Link>
          ))}
          <Link to={page.clearAll}>{t('search.clearAll')}</Link>
        </p>
      )}
      <p className="jump-filters">
        <a href="#filters">{t('search.showFilters')}</a>
      </p>
      <div className="catalogue-layout">
        <aside className="catalogue-side" id="filters">
          <nav className="tree card" aria-label={t('browse.title')} data-testid="curriculum-tree">
            <h2>{t('browse.title')}</h2>
            {tree.trail.length > 0 && (
              <ol className="tree-trail">
                <li>
                  <Link to={page.clearAll}>{t('browse.all')}</Link>
                </li>
                {tree.trail.map((n) => (
                  <li key={n.id}>
                    <Link to={n.href}>{n.name}</Link>
                  </li>
                ))}
              </ol>
            )}
            {tree.children.length > 0 ? (
              <ul className="tree-children">
                {tree.children.map((c) => (
                  <li key={c.id} className={c.count ? '' : 'tree-empty'}>
                    <Link to={c.href} data-node={c.id}>
                      {c.name}
                    </Link>{' '}
                    <span className="count" data-testid="node-count">
                      {c.count}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">{t('browse.leaf')}</p>
            )}
          </nav>
          {facets.map((f) => (
            <fieldset key={f.name} className="facet" data-facet={f.name}>
              <legend>{t(`search.facet.${f.name}` as MessageKey)}</legend>
              <ul>
                {f.values.map((v) => (
                  <li key={v.value}>
                    <Link
                      to={v.href}
                      className={v.selected ? 'facet-on' : ''}
                      aria-current={v.selected ? 'true' : undefined}
                    >
                      {v.selected ? '☑' : '☐'} {v.label}
                    </Link>{' '}
                    <span className="count">{v.count}</span>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </aside>
        <div className="catalogue-results">
          <div className="results-bar">
            <p data-testid="result-count">{t('search.count', { n: result.total })}</p>
            <nav className="sorts" aria-label={t('search.sort')}>
              {(['relevance', 'newest', 'downloads', 'rating'] as const).map((s) => (
                <Link
                  key={s}
                  to={page.sortHrefs[s]!}
                  aria-current={query.sort === s ? 'true' : undefined}
                  className={query.sort === s ? 'sort-on' : ''}
                >
                  {t(`search.sort.${s}`)}
                </Link>
              ))}
            </nav>
          </div>
          {result.total === 0 ? (
            <div className="empty" data-testid="zero-results">
              <h2>{query.q ? t('search.none', { q: query.q }) : t('search.noneHere')}</h2>
              <ul className="zero-tips">
                {active.length > 0 && <li>{t('search.tipRemove')}</li>}
                <li>{t('search.tipShorter')}</li>
                <li>{t('search.tipBrowse')}</li>
              </ul>
              {page.related.length > 0 && (
                <p>
                  {t('search.tryTerms')}{' '}
                  {page.related.map((r) => (
                    <Link key={r.term} to={r.href} className="chip">
                      {r.term}
                    </Link>
                  ))}
                </p>
              )}
              {active.length > 0 && (
                <p>
                  <Link to={page.clearAll} className="button">
                    {t('search.clearAll')}
                  </Link>
                </p>
              )}
            </div>
          ) : (
            <ol className="results" data-testid="results">
              {result.hits.map((h) => (
                <li key={h.id} className="result" data-testid="result" data-id={h.id}>
                  {h.thumb ? (
                    <img className="result-thumb" src={h.thumb} alt="" loading="lazy" width={160} height={90} />
                  ) : (
                    <div className="result-thumb result-thumb-none">
                      {h.kind ? t(`resource.kind.${h.kind as 'VIDEO'}`) : ''}
                    </div>
                  )}
                  <div className="result-body">
                    <h3>
                      <Link to={`${prefix}/r/${h.id}`}>
                        <Marked text={h.title} />
                      </Link>
                    </h3>
                    {h.snippet && (
                      <p className="snippet">
                        <Marked text={h.snippet} />
                      </p>
                    )}
                    <p className="result-meta muted small">
                      <span className="badge badge-outline">{t(`resourceType.${h.type as 'COURSEWARE'}`)}</span>{' '}
                      {h.premium ? (
                        <span className="price" data-testid="price">
                          {yuan(h.price)}
                        </span>
                      ) : (
                        <span>{t('search.free')}</span>
                      )}
                      {h.duration != null && <> · {formatDuration(h.duration)}</>}
                      {h.pages != null && <> · {t('search.pages', { n: h.pages })}</>}
                      {' · '}
                      <Stars rating={h.rating} count={h.ratingCount} label={t('search.ratingLabel')} />
                      {h.ratingCount > 0 && ' · '}
                      {t('search.downloads', { n: h.downloads })}
                      {h.platform && <> · {h.platform.name}</>}
                      {h.knowledgePoints.length > 0 && <> · {h.knowledgePoints.join('、')}</>}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          )}
          {result.totalPages > 1 && (
            <nav className="pager" aria-label={t('search.pages.label')}>
              {page.prev && <Link to={page.prev}>{t('search.prev')}</Link>}
              {page.pages.map((p, i) => (
                <span key={p.page}>
                  {i > 0 && page.pages[i - 1]!.page < p.page - 1 && <span className="muted">…</span>}
                  {p.current ? <strong aria-current="page">{p.page}</strong> : <Link to={p.href}>{p.page}</Link>}
                </span>
              ))}
              {page.next && <Link to={page.next}>{t('search.next')}</Link>}
            </nav>
          )}
        </div>
      </div>
    </section>
  )
}
