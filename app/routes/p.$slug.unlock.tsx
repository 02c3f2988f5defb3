/** 解除登录锁定: the owner of an account locked on this network asks for a code and enters it. */
import type { ActionFunctionArgs, LoaderFunctionArgs, HeadersFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta } from '~/lib/session.server.ts'
import { requestUnlockCode, unlockWithCode } from '~/services/auth/unlock-account.server.ts'
import { CODE_TTL_MINUTES } from '~/services/auth/verification-code.server.ts'

/** A refused attempt tells the client when to come back (the action's Retry-After, app/lib/http.server.ts). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get('Retry-After')
  return retry ? { 'Retry-After': retry } : new Headers()
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  await requirePlatform(context, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const identifier = formString(form, 'identifier', 300)
    if (form.get('intent') === 'send') {
      await requestUnlockCode({ identifier, ...requestMeta(context) })
      // The same answer whether or not the account exists.
      return { ok: true as const, message: 'auth.unlock.sent' as const, messageParams: { minutes: CODE_TTL_MINUTES } }
    }
    await unlockWithCode({ identifier, code: formString(form, 'code', 20), ...requestMeta(context) })
    return { ok: true as const, message: 'auth.unlock.done' as const }
  })
}

export default function Unlock() {
  const t = useT()
  const result = useActionData<typeof action>()
  const { base } = usePlatformLayout()
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="narrow">
      <h1>{t('auth.unlock.title')}</h1>
      <p className="muted">{t('auth.unlock.intro')}</p>
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
        <button type="submit" name="intent" value="send" className="button small" disabled={busy}>
          {t('auth.unlock.send')}
        </button>
        <Field name="code" label="auth.field.code" autoComplete="one-time-code" result={result} maxLength={6} />
        <button type="submit" name="intent" value="verify" className="button" disabled={busy}>
          {t('auth.unlock.submit')}
        </button>
      </Form>
      <p>
        <Link to={`${base}/login`}>{t('nav.signIn')}</Link>
      </p>
    </section>
  )
}
