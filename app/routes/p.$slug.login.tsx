import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type HeadersFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { env } from '~/lib/env.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { platformLinks, redirectIfSignedIn, requirePlatform } from '~/lib/platform.server.ts'
import { commitSessionCookie, readSessionId, requestMeta, safeRedirectPath } from '~/lib/session.server.ts'
import { signIn } from '~/services/auth/sign-in.server.ts'

/** A refused attempt tells the client when to come back (the action's Retry-After, app/lib/http.server.ts). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retry = actionHeaders.get('Retry-After')
  return retry ? { 'Retry-After': retry } : new Headers()
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context, params.slug)
  // Only the demo (DEMO_MODE=1, set by `npm run demo`) says where its accounts are listed.
  return { demoHint: env().DEMO_MODE }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const { sessionId } = await signIn({
      identifier: formString(form, 'identifier', 300),
      password: formString(form, 'password', 1000),
      userAgent: request.headers.get('user-agent'),
      previousSessionId: await readSessionId(request),
      ...requestMeta(context),
    })
    throw redirect(safeRedirectPath(form.get('redirectTo'), platformLinks(context, platform).home), {
      headers: { 'Set-Cookie': await commitSessionCookie(sessionId) },
    })
  })
}

export default function Login() {
  const t = useT()
  const result = useActionData<typeof action>()
  const { demoHint } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const { base } = usePlatformLayout()
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="narrow">
      <h1>{t('auth.signIn.title')}</h1>
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <FormMessage result={result} />
        {result && !result.ok && result.formError === 'auth.signIn.locked' ? (
          <p>
            <Link to={`${base}/unlock`} data-testid="unlock-link">
              {t('auth.signIn.unlockLink')}
            </Link>
          </p>
        ) : null}
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
          autoComplete="current-password"
          required
          result={result}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('auth.signIn.submit')}
        </button>
      </Form>
      <p>
        <Link to={`${base}/forgot-password`}>{t('auth.signIn.forgot')}</Link>
      </p>
      <p>
        {t('auth.signIn.noAccount')} <Link to={`${base}/register`}>{t('nav.register')}</Link>
      </p>
      {demoHint ? (
        <p className="muted small" data-testid="demo-hint">
          {t('auth.demoHint')}
        </p>
      ) : null}
    </section>
  )
}
