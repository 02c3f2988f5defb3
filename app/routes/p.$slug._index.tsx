import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { requirePlatform } from '~/lib/platform.server.ts'
import { platformDirectory } from '~/models/platform.server.ts'
import { getPlatformOverview } from '~/services/platform/read-platform-admin.server.ts'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const [overview, children] = await Promise.all([getPlatformOverview(platform), platformDirectory.children(platform.id)])
  return { overview, children: children.map((c) => ({ slug: c.slug, name: c.name, level: c.level, mode: c.mode })) }
}

export default function PlatformHome() {
  const { overview, children } = useLoaderData<typeof loader>()
  const { platform, base } = usePlatformLayout()
  const t = useT()
  return (
    <>
      <section className="hero">
        <h1>{t('home.welcome', { name: platform.name })}</h1>
        <p className="muted">{t('home.tagline')}</p>
        <p>
          <span className="badge">{t(`platform.level.${platform.level}`)}</span> <span className="badge badge-outline">{t(`platform.mode.${platform.mode}`)}</span>
        </p>
        {platform.mode === 'CONNECTED' ? <p className="alert">{t('platform.connectedNotice')}</p> : null}
      </section>
      <section aria-labelledby="stats-h">
        <h2 id="stats-h">{t('home.stats.title')}</h2>
        <dl className="stats">
          <div>
            <dt>{t('home.stats.users')}</dt>
            <dd data-testid="stat-users">{overview.users}</dd>
          </div>
          <div>
            <dt>{t('home.stats.children')}</dt>
            <dd>{children.length}</dd>
          </div>
        </dl>
      </section>
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
