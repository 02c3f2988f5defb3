import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { requirePlatform } from '~/lib/platform.server.ts'
import { platformDirectory } from '~/models/platform.server.ts'
import { getPlatformOverview } from '~/services/platform/read-platform-admin.server.ts'
import { latestForPortal, thumbUrl } from '~/services/search/search-resources.server.ts'
import { can } from '~/services/authorization.server.ts'
import { pushTargets } from '~/services/review/push.server.ts'
import { PushForm } from '~/components/review/push-form.tsx'
import { SearchBox } from '~/components/catalogue/search-box.tsx'
import { ResourceCards } from '~/components/catalogue/resource-cards.tsx'
import { logger } from '~/lib/logger.server.ts'
import { canCurate, featuredFor } from '~/services/review/featured.server.ts'
import { getActor } from '~/lib/session.server.ts'
import { ArrangeButtons } from '~/components/review/feature-form.tsx'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await getActor(request, context)
  const [overview, children, latest, featured] = await Promise.all([
    getPlatformOverview(platform),
    platformDirectory.children(platform.id),
    // The home page stays up when search is down; it just shows no list.
    latestForPortal(platform).catch((err) => {
      logger.warn({ err: String(err) }, 'latest resources unavailable')
      return null
    }),
    featuredFor(platform),
  ])
  // Pictures are signed per request (the cached collections hold only their storage keys).
  const signed = featured.map((c) => ({
    ...c,
    cover: thumbUrl(c.cover),
    items: c.items.map((i) => ({ ...i, thumb: thumbUrl(i.thumb) })),
  }))
  return {
    overview,
    latest,
    featured: signed,
    curate: canCurate(actor, platform),
    pushTo: can(actor, 'platform.admin', platform) ? await pushTargets(platform) : null,
    children: children.map((c) => ({ slug: c.slug, name: c.name, level: c.level, mode: c.mode })),
  }
}

export default function PlatformHome() {
  const { overview, children, latest, featured, curate, pushTo } = useLoaderData<typeof loader>()
  const { platform, base } = usePlatformLayout()
  const t = useT()
  return (
    <>
      <section className="hero">
        <h1>{t('home.welcome', { name: platform.name })}</h1>
        <p className="muted">{t('home.tagline')}</p>
        <p>
          <span className="badge">{t(`platform.level.${platform.level}`)}</span>{' '}
          <span className="badge badge-outline">{t(`platform.mode.${platform.mode}`)}</span>
        </p>
        {platform.mode === 'CONNECTED' ? <p className="alert">{t('platform.connectedNotice')}</p> : null}
        <SearchBox base={base} action={`${base}/resources`} defaultValue="" hidden={[]} />
      </section>
      <section aria-labelledby="stats-h">
        <h2 id="stats-h">{t('home.stats.title')}</h2>
        <dl className="stats">
          <div>
            <dt>{t('home.stats.users')}</dt>
            <dd data-testid="stat-users">{overview.users}</dd>
          </div>
          {latest && (
            <div>
              <dt>{t('home.stats.resources')}</dt>
              <dd data-testid="stat-resources">{latest.total}</dd>
            </div>
          )}
          <div>
            <dt>{t('home.stats.children')}</dt>
            <dd>{children.length}</dd>
          </div>
        </dl>
      </section>
      {featured.map((c) => (
        <section key={c.id} aria-labelledby={`featured-${c.id}`} data-testid="featured-collection">
          <h2 id={`featured-${c.id}`}>
            <span className="badge">{t('featured.title')}</span> {c.title}
          </h2>
          <div className="featured-head">
            {c.cover ? (
              <img className="featured-cover" src={c.cover} alt="" />
            ) : (
              <div className="featured-cover featured-cover-none">{c.title.slice(0, 4)}</div>
            )}
            {c.description && <p className="muted">{c.description}</p>}
          </div>
          {pushTo && <PushForm action={`${base}/api/featured/${c.id}`} targets={pushTo} />}
          <ResourceCards
            base={base}
            items={c.items}
            extra={
              curate
                ? (r) => <ArrangeButtons action={`${base}/api/resources/${r.id}`} collectionId={c.id} />
                : undefined
            }
          />
        </section>
      ))}
      {latest && latest.hits.length > 0 && (
        <section aria-labelledby="latest-h">
          <h2 id="latest-h">
            {t('home.latest')}{' '}
            <Link to={`${base}/resources?sort=newest`} className="small">
              {t('home.more')}
            </Link>
          </h2>
          <ResourceCards base={base} items={latest.hits} testId="latest" />
        </section>
      )}
      <section aria-labelledby="links-h">
        <h2 id="links-h">{t('home.quickLinks')}</h2>
        <ul className="cards">
          <li>
            <Link to={`${base}/resources`}>{t('nav.resources')}</Link>
          </li>
          <li>
            <Link to={`${base}/upload`}>{t('nav.upload')}</Link>
          </li>
          <li>
            <Link to={`${base}/me`}>{t('nav.mySpace')}</Link>
          </li>
        </ul>
      </section>
      {children.length ? (
        <section aria-labelledby="children-h">
          <h2 id="children-h">{t('home.subPlatforms', { count: children.length })}</h2>
          <ul className="cards">
            {children.map((c) => (
              <li key={c.slug}>
                <Link to={`/p/${c.slug}`}>{c.name}</Link>
                <span className="muted small"> · {t(`platform.mode.${c.mode}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
