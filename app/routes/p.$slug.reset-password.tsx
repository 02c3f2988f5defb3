import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta } from '~/lib/session.server.ts'
import { isResetTokenValid, resetPassword } from '~/services/auth/password-reset.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePlatform(context, params.slug)
  const token = new URL(request.url).searchParams.get('token') ?? ''
  return { token, valid: token.length > 20 && token.length < 100 && (await isResetTokenValid(token)) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    await resetPassword({
      token: formString(form, 'token', 100),
      newPassword: formString(form, 'newPassword', 1000),
      confirmPassword: formString(form, 'confirmPassword', 1000),
      ...requestMeta(context),
    })
    return { ok: true as const, message: 'auth.reset.done' as const }
  })
}

export default function ResetPassword() {
  const t = useT()
  const { token, valid } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { base } = usePlatformLayout()
  if (result?.ok)
    return (
      <section className="narrow">
        <FormMessage result={result} />
        <Link to={`${base}/login`}>{t('nav.signIn')}</Link>
      </section>
    )
  return (
    <section className="narrow">
      <h1>{t('auth.reset.title')}</h1>
      {!valid ? (
        <p className="alert alert-error">{t('auth.reset.invalidToken')}</p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <CsrfInput />
          <input type="hidden" name="token" value={token} />
          <FormMessage result={result} />
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
            {t('auth.reset.submit')}
          </button>
        </Form>
      )}
    </section>
  )
}
