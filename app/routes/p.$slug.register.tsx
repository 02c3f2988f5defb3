import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type HeadersFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { platformLinks, redirectIfSignedIn, requirePlatform } from '~/lib/platform.server.ts'
import { commitSessionCookie, requestMeta } from '~/lib/session.server.ts'
import { getRegistrationMode, registerUser, requestRegistrationCode } from '~/services/auth/register-user.server.ts'
import { openSession } from '~/services/auth/sign-in.server.ts'
import { CODE_TTL_MINUTES } from '~/services/auth/verification-code.server.ts'

/** A refused attempt tells the client when to come back (the action's Retry-After, app/lib/http.server.ts). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get('Retry-After')
  return retry ? { 'Retry-After': retry } : new Headers()
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await redirectIfSignedIn(request, context, params.slug)
  return { mode: await getRegistrationMode(platform.slug).catch(throwAsResponse) }
}

/** Two steps in one form: "获取验证码" sends a code to the identifier; "注册" creates the account
 * with it. Each answers the same whether or not the identifier already has an account. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const identifier = formString(form, 'identifier', 300)
    if (form.get('intent') === 'send-code') {
      await requestRegistrationCode({
        platformSlug: platform.slug,
        identifier,
        locale: getLocale(request),
        ...requestMeta(context),
      })
      return {
        ok: true as const,
        message: 'auth.register.codeSent' as const,
        messageParams: { minutes: CODE_TTL_MINUTES },
      }
    }
    const user = await registerUser({
      platformSlug: platform.slug,
      displayName: formString(form, 'displayName', 200),
      identifier,
      password: formString(form, 'password', 1000),
      code: formString(form, 'code', 20),
      schoolName: formString(form, 'schoolName', 300),
      subjects: formString(form, 'subjects', 300),
      wantsTeacher: form.get('wantsTeacher') === 'on',
      ...requestMeta(context),
    })
    const sessionId = await openSession(user, { ...requestMeta(context), userAgent: request.headers.get('user-agent') })
    throw redirect(platformLinks(context, platform).href('/me'), {
      headers: { 'Set-Cookie': await commitSessionCookie(sessionId) },
    })
  })
}

export default function Register() {
  const t = useT()
  const { mode } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { base, platform } = usePlatformLayout()
  const busy = useNavigation().state === 'submitting'
  if (mode === 'OFF')
    return (
      <section className="narrow">
        <h1>{t('auth.register.title')}</h1>
        <p className="alert alert-error" data-testid="registration-closed">
          {t('auth.register.closed')}
        </p>
        <p>
          {t('auth.register.hasAccount')} <Link to={`${base}/login`}>{t('nav.signIn')}</Link>
        </p>
      </section>
    )
  return (
    <section className="narrow">
      <h1>{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.platformNote', { name: platform.name })}</p>
      <p className="muted small">
        {t(mode === 'OPEN_TEACHERS' ? 'auth.register.teacherNote' : 'auth.register.memberNote')}
      </p>
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
        <FormMessage result={result} />
        <Field
          name="identifier"
          label="field.identifier"
          autoComplete="username"
          required
          result={result}
          maxLength={254}
        />
        <button type="submit" name="intent" value="send-code" className="button small" disabled={busy}>
          {t('auth.register.sendCode')}
        </button>
        <Field
          name="code"
          label="auth.field.code"
          autoComplete="one-time-code"
          required
          result={result}
          maxLength={6}
        />
        <Field
          name="displayName"
          label="field.displayName"
          autoComplete="name"
          required
          result={result}
          maxLength={40}
        />
        <Field
          name="password"
          label="field.password"
          type="password"
          autoComplete="new-password"
          required
          result={result}
        />
        <Field name="schoolName" label="field.schoolName" autoComplete="organization" result={result} maxLength={80} />
        <Field name="subjects" label="field.subjects" result={result} maxLength={200} />
        {mode === 'MEMBERS' ? (
          <label>
            <input type="checkbox" name="wantsTeacher" /> {t('auth.register.wantsTeacher')}
          </label>
        ) : null}
        <button type="submit" name="intent" value="register" className="button" disabled={busy}>
          {t('auth.register.submit')}
        </button>
      </Form>
      <p>
        {t('auth.register.hasAccount')} <Link to={`${base}/login`}>{t('nav.signIn')}</Link>
      </p>
    </section>
  )
}
