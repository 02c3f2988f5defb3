import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { redirectIfSignedIn, requirePlatform } from '~/lib/platform.server.ts'
import { commitSessionCookie, requestMeta } from '~/lib/session.server.ts'
import { registerUser } from '~/services/auth/register-user.server.ts'
import { signIn } from '~/services/auth/sign-in.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const input = {
      platformSlug: platform.slug,
      displayName: formString(form, 'displayName', 200),
      identifier: formString(form, 'identifier', 300),
      password: formString(form, 'password', 1000),
      schoolName: formString(form, 'schoolName', 300),
      subjects: formString(form, 'subjects', 300),
      ...requestMeta(context),
    }
    await registerUser(input)
    const { sessionId } = await signIn({
      identifier: input.identifier,
      password: input.password,
      userAgent: request.headers.get('user-agent'),
      ...requestMeta(context),
    })
    throw redirect(`/p/${platform.slug}/me`, { headers: { 'Set-Cookie': await commitSessionCookie(sessionId) } })
  })
}

export default function Register() {
  const t = useT()
  const result = useActionData<typeof action>()
  const { base, platform } = usePlatformLayout()
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="narrow">
      <h1>{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.platformNote', { name: platform.name })}</p>
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
        <FormMessage result={result} />
        <Field
          name="displayName"
          label="field.displayName"
          autoComplete="name"
          required
          result={result}
          maxLength={40}
        />
        <Field
          name="identifier"
          label="field.identifier"
          autoComplete="username"
          required
          result={result}
          maxLength={254}
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
        <button type="submit" className="button" disabled={busy}>
          {t('auth.register.submit')}
        </button>
      </Form>
      <p>
        {t('auth.register.hasAccount')} <Link to={`${base}/login`}>{t('nav.signIn')}</Link>
      </p>
    </section>
  )
}
