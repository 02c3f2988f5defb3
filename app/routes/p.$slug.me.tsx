import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { changePassword } from '~/services/auth/change-password.server.ts'
import { getMyProfile } from '~/services/auth/get-my-profile.server.ts'
import { listMyUploads } from '~/services/resources/list-my-uploads.server.ts'
import { listMyCollections } from '~/services/engagement/collections.server.ts'
import { listMyDownloads, listMyRatings } from '~/services/engagement/usage.server.ts'
import { pushesFor } from '~/services/review/push.server.ts'
import { myEntitlements } from '~/services/market/licences.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { formatDate } from '~/lib/dates.ts'

/** 我的空间: one space per person — my uploads and their status, the premium resources I may use
 * and why, my collections, my downloads, my ratings, and my account. */
const TABS = ['uploads', 'pushed', 'licensed', 'collections', 'downloads', 'ratings', 'account'] as const
type Tab = (typeof TABS)[number]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const url = new URL(request.url)
  const raw = url.searchParams.get('tab') ?? 'uploads'
  const tab: Tab = (TABS as readonly string[]).includes(raw) ? (raw as Tab) : 'uploads'
  return {
    tab,
    deleted: url.searchParams.get('deleted') === '1',
    base: platformLinks(context, platform).base,
    profile: tab === 'account' ? await getMyProfile(actor.userId) : null,
    uploads: tab === 'uploads' ? await listMyUploads(actor, null, 100) : [],
    collections: tab === 'collections' ? await listMyCollections(actor) : [],
    downloads: tab === 'downloads' ? await listMyDownloads(actor) : [],
    ratings: tab === 'ratings' ? await listMyRatings(actor) : [],
    pushed: tab === 'pushed' ? await pushesFor(actor) : [],
    licensed: tab === 'licensed' ? await myEntitlements(actor.userId) : [],
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    await changePassword({
      userId: actor.userId,
      sessionId: actor.sessionId,
      currentPassword: formString(form, 'currentPassword', 1000),
      newPassword: formString(form, 'newPassword', 1000),
      confirmPassword: formString(form, 'confirmPassword', 1000),
      ...requestMeta(context),
    })
    return { ok: true as const, message: 'me.passwordChanged' as const }
  })
}

export default function MySpace() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { tab, base } = data
  return (
    <section>
      <h1>{t('me.title')}</h1>
      <nav className="tabs" aria-label={t('me.title')}>
        {TABS.map((x) => (
          <Link
            key={x}
            to={`${base}/me?tab=${x}`}
            aria-current={tab === x ? 'page' : undefined}
            data-testid={`tab-${x}`}
          >
            {t(`me.tab.${x}` as MessageKey)}
          </Link>
        ))}
      </nav>
      {data.deleted && (
        <p className="alert alert-ok" role="status" data-testid="deleted-notice">
          {t('check.deleted')}
        </p>
      )}
      {tab === 'uploads' && (
        <div className="table-wrap" data-testid="my-uploads">
          {data.uploads.length === 0 ? (
            <p className="empty">
              {t('me.noUploads')} <Link to={`${base}/upload`}>{t('nav.upload')}</Link>
            </p>
          ) : (
            <table className="table-cards">
              <thead>
                <tr>
                  <th>{t('me.col.title')}</th>
                  <th>{t('me.col.status')}</th>
                  <th>{t('me.col.processing')}</th>
                  <th>{t('me.col.platform')}</th>
                  <th>{t('me.col.usage')}</th>
                  <th>{t('me.col.date')}</th>
                </tr>
              </thead>
              <tbody>
                {data.uploads.map((u) => (
                  <tr key={u.id} data-testid="my-upload">
                    <td className="cell-title" data-label={t('me.col.title')}>
                      <Link to={`/p/${u.platformSlug}/r/${u.id}`}>{u.title}</Link>
                    </td>
                    <td data-testid="upload-status" data-label={t('me.col.status')}>
                      {t(`resource.status.${u.status}` as MessageKey)}
                    </td>
                    <td data-label={t('me.col.processing')}>
                      {u.fileStatus ? t(`file.status.${u.fileStatus}` as MessageKey) : '—'}
                      {u.errorKey && <span className="field-error"> · {t(u.errorKey as MessageKey)}</span>}
                    </td>
                    <td data-label={t('me.col.platform')}>{u.platformName}</td>
                    <td className="small" data-label={t('me.col.usage')}>
                      {u.status === 'PUBLISHED'
                        ? t('me.usage', { views: u.views, downloads: u.downloads, n: u.ratingCount })
                        : '—'}
                    </td>
                    <td className="cell-time" data-label={t('me.col.date')}>
                      {formatDate(u.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {tab === 'licensed' && (
        <div data-testid="my-licensed">
          <p>
            <Link to={`${base}/orders`}>{t('market.orders.title')}</Link>
          </p>
          {data.licensed.length === 0 ? (
            <p className="empty">{t('me.noLicensed')}</p>
          ) : (
            <ul className="stack">
              {data.licensed.map((l) => (
                <li key={l.id} data-testid="licensed">
                  <Link to={`${base}/r/${l.id}`}>{l.title}</Link>{' '}
                  <span className="muted small">
                    {t(l.seat ? 'me.licensedWhy.SEAT' : (`me.licensedWhy.${l.scope}` as 'me.licensedWhy.PERSONAL'), {
                      holder: l.holderName,
                      order: l.orderNumber,
                    })}
                    {l.endsAt && <> · {t('market.validUntil', { date: formatDate(l.endsAt) })}</>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {tab === 'collections' && (
        <div data-testid="my-collections" className="stack">
          {data.collections.length === 0 && <p className="empty">{t('me.noCollections')}</p>}
          {data.collections.map((c) => (
            <section key={c.id} className="card" data-testid="collection">
              <h2>
                {c.name} <span className="muted small">{t('me.itemCount', { n: c.count })}</span>
              </h2>
              <ul>
                {c.items.map((i) => (
                  <li key={i.id}>
                    <Link to={`/p/${i.platformSlug}/r/${i.id}`}>{i.title}</Link>{' '}
                    <span className="muted small">
                      · {t(`resourceType.${i.resourceType as 'COURSEWARE'}`)} · {formatDate(i.addedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      {tab === 'pushed' && (
        <ul data-testid="my-pushed">
          {data.pushed.length === 0 && <p className="empty">{t('push.none')}</p>}
          {data.pushed.map((p) => (
            <li key={p.id}>
              <Link to={p.link}>{p.title}</Link>{' '}
              <span className="muted small">
                · {t('push.from', { platform: p.from })} · {formatDate(p.at)}
                {p.note && <> · {p.note}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {tab === 'downloads' && (
        <ul data-testid="my-downloads">
          {data.downloads.length === 0 && <p className="empty">{t('me.noDownloads')}</p>}
          {data.downloads.map((d) => (
            <li key={d.id}>
              <Link to={`/p/${d.platformSlug}/r/${d.id}`}>{d.title}</Link>{' '}
              <span className="muted small">· {formatDate(d.at)}</span>
            </li>
          ))}
        </ul>
      )}
      {tab === 'ratings' && (
        <ul data-testid="my-ratings">
          {data.ratings.length === 0 && <p className="empty">{t('me.noRatings')}</p>}
          {data.ratings.map((r) => (
            <li key={r.id}>
              <Link to={`/p/${r.platformSlug}/r/${r.id}`}>{r.title}</Link>{' '}
              <span className="stars">{'★'.repeat(r.score)}</span>{' '}
              <span className="muted small">· {formatDate(r.at)}</span>
            </li>
          ))}
        </ul>
      )}
      {tab === 'account' && data.profile && <Account profile={data.profile} action={`${base}/me?tab=account`} />}
    </section>
  )
}

function Account({
  profile,
  action: formAction,
}: {
  profile: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['profile']>
  action: string
}) {
  const t = useT()
  const result = useActionData<typeof action>()
  return (
    <>
      <div className="grid-2">
        <section className="card" aria-labelledby="profile-h">
          <h2 id="profile-h">{t('me.profile')}</h2>
          <dl className="kv">
            <dt>{t('field.displayName')}</dt>
            <dd data-testid="me-name">{profile.displayName}</dd>
            <dt>{t('me.contact')}</dt>
            <dd>{[profile.phone, profile.email].filter(Boolean).join(' · ')}</dd>
            <dt>{t('me.homePlatform')}</dt>
            <dd>
              <Link to={`/p/${profile.homePlatform.slug}`}>{profile.homePlatform.name}</Link>
            </dd>
            <dt>{t('me.school')}</dt>
            <dd>{profile.schoolName ?? t('common.none')}</dd>
            <dt>{t('me.subjects')}</dt>
            <dd>{profile.subjects.length ? profile.subjects.join('、') : t('common.none')}</dd>
          </dl>
          <h3>{t('me.roles')}</h3>
          {profile.roles.length ? (
            <ul>
              {profile.roles.map((r) => (
                <li key={r.id}>
                  {t(`role.${r.role}`)} · <Link to={`/p/${r.platform.slug}`}>{r.platform.name}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('me.noRoles')}</p>
          )}
        </section>
        <section className="card" aria-labelledby="pw-h">
          <h2 id="pw-h">{t('me.changePassword')}</h2>
          <Form method="post" action={formAction} className="stack" noValidate>
            <CsrfInput />
            <FormMessage result={result} />
            <Field
              name="currentPassword"
              label="field.currentPassword"
              type="password"
              autoComplete="current-password"
              required
              result={result}
            />
            <Field
              name="newPassword"
              label="field.newPassword"
              type="password"
              autoComplete="new-password"
              required
              result={result}
            />
            <Field
              name="confirmPassword"
              label="field.confirmPassword"
              type="password"
              autoComplete="new-password"
              required
              result={result}
            />
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
      </div>
    </>
  )
}
