/** 教师认证: a member asks to become a teacher (upload rights) on this platform; its admins confirm. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction } from '~/lib/http.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { getMyTeacherStatus, requestTeacherCertification } from '~/services/auth/teacher-certification.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const status = await getMyTeacherStatus(actor, platform.id)
  return {
    isTeacher: status.isTeacher,
    pending: status.requests.some((r) => r.status === 'PENDING'),
    requests: status.requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    await requestTeacherCertification(
      actor,
      platform.id,
      {
        schoolName: formString(form, 'schoolName', 300),
        subjects: formString(form, 'subjects', 300),
        note: formString(form, 'note', 400),
      },
      requestMeta(context),
    )
    return { ok: true as const, message: 'auth.teacher.requested' as const }
  })
}

export default function TeacherCertification() {
  const t = useT()
  const { isTeacher, pending, requests } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { platform } = usePlatformLayout()
  return (
    <section className="narrow">
      <h1>{t('auth.teacher.title')}</h1>
      <p className="muted">{t('auth.teacher.intro', { name: platform.name })}</p>
      <FormMessage result={result} />
      {isTeacher ? (
        <p className="alert alert-ok">{t('auth.teacher.already')}</p>
      ) : pending ? (
        <p className="alert alert-ok">{t('auth.teacher.pending')}</p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <CsrfInput />
          <Field name="schoolName" label="field.schoolName" required result={result} maxLength={80} />
          <Field name="subjects" label="field.subjects" result={result} maxLength={200} />
          <Field name="note" label="auth.teacher.note" result={result} maxLength={200} />
          <button type="submit" className="button">
            {t('auth.teacher.submit')}
          </button>
        </Form>
      )}
      {requests.length ? (
        <section aria-labelledby="teacher-history-h">
          <h2 id="teacher-history-h">{t('auth.teacher.history')}</h2>
          <ul>
            {requests.map((r) => (
              <li key={r.id}>
                <time dateTime={r.createdAt}>{r.createdAt.slice(0, 10)}</time> · {r.schoolName} ·{' '}
                {t(`auth.teacher.status.${r.status}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  )
}
