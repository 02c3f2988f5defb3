import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta } from '~/lib/session.server.ts'
import { requestPasswordReset } from '~/services/auth/password-reset.server.ts'

export async function loader({ params, context }: LoaderFunctionArgs) {
  await requirePlatform(context, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    await requestPasswordReset({ identifier: formString(form, 'identifier', 300), ...requestMeta(context) })
    // The same answer whether or not the account exists.
    return { ok: true as const, message: 'auth.forgot.sent' as const }
  })
}

export default function ForgotPassword() {
  const t = useT()
  const result = useActionData<typeof action>()
  return (
    <section className="narrow">
      <h1>{t('auth.forgot.title')}</h1>
      <p className="muted">{t('auth.forgot.intro')}</p>
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
        <button type="submit" className="button">
          {t('auth.forgot.submit')}
        </button>
      </Form>
    </section>
  )
}
