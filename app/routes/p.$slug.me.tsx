import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { changePassword } from '~/services/auth/change-password.server.ts'
import { getMyProfile } from '~/services/auth/get-my-profile.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return { profile: await getMyProfile(actor.userId) }
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
  const { profile } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <section>
      <h1>{t('me.title')}</h1>
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
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            <FormMessage result={result} />
            <Field name="currentPassword" label="field.currentPassword" type="password" autoComplete="current-password" required result={result} />
            <Field name="newPassword" label="field.newPassword" type="password" autoComplete="new-password" required result={result} />
            <Field name="confirmPassword" label="field.confirmPassword" type="password" autoComplete="new-password" required result={result} />
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
      </div>
    </section>
  )
}
