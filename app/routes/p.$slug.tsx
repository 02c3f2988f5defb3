import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, useLocation, useRouteLoaderData } from '@remix-run/react'
import type { CSSProperties } from 'react'
import { ErrorPage } from '~/components/error-page.tsx'
import { CsrfInput } from '~/components/form.tsx'
import { useLocale, useT } from '~/components/i18n.tsx'
import { usePlatformLayoutData } from '~/components/platform.tsx'
import { linkHere, platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { platformHref } from '~/lib/platform-links.ts'
import { getActor } from '~/lib/session.server.ts'
import { platformDirectory } from '~/models/platform.server.ts'
import { can } from '~/services/authorization.server.ts'
import { getPlatformFooter } from '~/services/platform/platform-footer.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const [actor, ancestors, footer] = await Promise.all([
    getActor(request, context),
    platformDirectory.ancestors(platform.path),
    getPlatformFooter(platform.id),
  ])
  const links = platformLinks(context, platform)
  const here = linkHere(context, platform)
  return {
    platform,
    // 主办单位, contact and ICP备案号, set by the platform's admins (every page shows them).
    footer,
    // Links to parent platforms go to each one's own address (its host name, or /p/<slug> on the
    // province's host); this platform's own links stay on the host the page was served at.
    ancestors: ancestors.map((a) => ({ slug: a.slug, name: a.name, href: platformHref(a, '', here) })),
    base: links.base,
    home: links.home,
    // What the navigation shows; every one of these is checked again by the service behind the page.
    nav: {
      upload: can(actor, 'resource.upload', platform),
      review: can(actor, 'platform.moderate', platform),
      admin: can(actor, 'platform.admin', platform),
      audit: can(actor, 'platform.audit.read', platform),
      // The marketplace: the operator's and regulator's books, a school's licences, a provider's sales.
      market: can(actor, 'market.books.read', platform),
      licences: can(actor, 'market.buy.school', platform),
      sales: can(actor, 'market.sell', platform) && !!actor?.roles.some((r) => r.role === 'PROVIDER'),
      signedIn: !!actor,
      // Self-registration and 教师认证 (ADR 0015): a member of this platform may ask to be a teacher.
      register: platform.registrationMode !== 'OFF',
      teacherCertification: !!actor?.roles.some((r) => r.role === 'MEMBER' && r.platformId === platform.id),
    },
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.platform.name : '教育资源云' }]

function Shell({ children }: { children: React.ReactNode }) {
  const data = usePlatformLayoutData()
  const root = useRouteLoaderData<{ actor: { displayName: string; unread: number } | null }>('root')
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  if (!data) return <main className="container">{children}</main>
  const { platform, nav, base, home, ancestors, footer } = data
  const style = { '--brand': platform.primaryColor, '--accent': platform.accentColor } as CSSProperties
  const items = [
    { to: home, label: t('nav.home'), end: true, show: true },
    { to: `${base}/resources`, label: t('nav.resources'), show: true },
    { to: `${base}/upload`, label: t('nav.upload'), show: nav.upload },
    { to: `${base}/review`, label: t('nav.review'), show: nav.review },
    { to: `${base}/me`, label: t('nav.mySpace'), show: nav.signedIn },
    { to: `${base}/teacher-certification`, label: t('auth.teacher.title'), show: nav.teacherCertification },
    { to: `${base}/admin`, label: t('nav.admin'), show: nav.admin },
    { to: `${base}/audit`, label: t('audit.title'), show: nav.audit },
    { to: `${base}/market`, label: t('nav.market'), show: nav.market },
    { to: `${base}/licences`, label: t('nav.licences'), show: nav.licences },
    { to: `${base}/sales`, label: t('nav.sales'), show: nav.sales },
  ].filter((i) => i.show)
  return (
    <div className="platform" style={style} data-platform={platform.slug}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to={home} className="brand">
            {platform.logoUrl ? (
              <img src={platform.logoUrl} alt="" className="brand-logo" />
            ) : (
              <span className="brand-mark" aria-hidden="true">
                {(platform.shortName ?? platform.name).slice(0, 1)}
              </span>
            )}
            <span className="brand-name" data-testid="platform-name">
              {platform.name}
            </span>
            <span className="badge">{t(`platform.mode.${platform.mode}`)}</span>
          </Link>
          <div className="header-tools">
            <Form method="post" action="/locale" className="inline">
              <CsrfInput />
              <input type="hidden" name="locale" value={locale === 'en' ? 'zh-CN' : 'en'} />
              <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
              <button type="submit" className="link-button" aria-label={t('nav.language')}>
                {locale === 'en' ? t('nav.switchToChinese') : t('nav.switchToEnglish')}
              </button>
            </Form>
            {root?.actor ? (
              <>
                <Link
                  to={`${base}/notifications`}
                  className="bell"
                  aria-label={t('notify.bell', { n: root.actor.unread })}
                  data-testid="bell"
                >
                  {/* A drawn bell: emoji fonts are missing on many school machines. */}
                  <svg
                    width="16"
                    height="16"
                    viewBox="0 0 24 24"
                    aria-hidden="true"
                    fill="currentColor"
                    style={{ verticalAlign: '-3px' }}
                  >
                    <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
                  </svg>
                  {root.actor.unread > 0 && <span className="bell-count">{root.actor.unread}</span>}
                </Link>
                <span className="muted user-name">{t('nav.signedInAs', { name: root.actor.displayName })}</span>
                <Form method="post" action="/logout" className="inline">
                  <CsrfInput />
                  <input type="hidden" name="redirectTo" value={home} />
                  <button type="submit" className="link-button">
                    {t('nav.signOut')}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <Link to={`${base}/login?redirectTo=${encodeURIComponent(location.pathname)}`}>{t('nav.signIn')}</Link>
                {nav.register && <Link to={`${base}/register`}>{t('nav.register')}</Link>}
              </>
            )}
          </div>
        </div>
        <nav className="main-nav" aria-label={t('nav.main')}>
          <ul className="container">
            {items.map((i) => (
              <li key={i.to}>
                <NavLink to={i.to} end={i.end} prefetch="intent">
                  {i.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {platform.bannerText ? (
          <div className="banner">
            <p className="container" data-testid="platform-banner">
              {platform.bannerText}
            </p>
          </div>
        ) : null}
      </header>
      {ancestors.length ? (
        <nav className="container crumbs" aria-label="breadcrumb">
          {ancestors.map((a) => (
            <span key={a.slug}>
              <Link to={a.href}>{a.name}</Link> ›{' '}
            </span>
          ))}
          <span aria-current="page">{platform.name}</span>
        </nav>
      ) : null}
      <main id="main" className="container" tabIndex={-1}>
        {platform.status === 'SUSPENDED' ? <p className="alert alert-error">{t('platform.suspended')}</p> : null}
        {children}
      </main>
      <footer className="site-footer" data-testid="site-footer">
        <div className="container muted">
          <p className="footer-line">
            {t('app.name')} · {platform.name}
          </p>
          {footer.hostUnit || footer.contact || footer.icpNumber ? (
            <p className="footer-line footer-meta small">
              {footer.hostUnit ? (
                <span data-testid="footer-host-unit">
                  {t('admin.footer.hostUnitLabel')}
                  {footer.hostUnit}
                </span>
              ) : null}
              {footer.contact ? (
                <span data-testid="footer-contact">
                  {t('admin.footer.contactLabel')}
                  {footer.contact}
                </span>
              ) : null}
              {footer.icpNumber ? (
                // The filing is checked at MIIT's public register, which is where ICP numbers link.
                <a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer" data-testid="footer-icp">
                  {footer.icpNumber}
                </a>
              ) : null}
            </p>
          ) : null}
        </div>
      </footer>
    </div>
  )
}

export default function PlatformLayout() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  )
}

export function ErrorBoundary() {
  const data = usePlatformLayoutData()
  return (
    <Shell>
      <ErrorPage homeHref={data?.home ?? '/'} />
    </Shell>
  )
}
