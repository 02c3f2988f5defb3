/** 注册与教师认证: the platform's registration setting, and the teacher requests its admins decide. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { RegistrationMode } from '~/lib/db.server.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import { requirePlatform, requirePlatformPermission } from '~/lib/platform.server.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { maskContact } from '~/services/platform/contact-mask.ts'
import {
  decideTeacherRequest,
  listTeacherRequests,
  setRegistrationMode,
} from '~/services/auth/teacher-certification.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.admin')
  const data = await listTeacherRequests(actor, platform.id).catch(throwAsResponse)
  const row = (r: (typeof data.pending)[number]) => ({
    id: r.id,
    status: r.status,
    name: r.user.displayName,
    // Masked as in the members list (ADR 0016): enough to recognise, not to copy.
    contact: maskContact(r.user.phone ?? r.user.email ?? ''),
    schoolName: r.schoolName ?? '',
    subjects: r.subjects.join('、'),
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  })
  return {
    modes: Object.values(RegistrationMode),
    registrationMode: data.registrationMode,
    pending: data.pending.map(row),
    decided: data.decided.map(row),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const meta = requestMeta(context)
    switch (form.get('intent')) {
      case 'registration-mode':
        await setRegistrationMode(actor, platform.id, formString(form, 'registrationMode', 20), meta)
        return { ok: true as const, message: 'auth.registration.saved' as const }
      case 'approve':
      case 'decline': {
        const approve = form.get('intent') === 'approve'
        await decideTeacherRequest(actor, { requestId: formString(form, 'requestId', 60), approve }, meta)
        return {
          ok: true as const,
          message: approve ? ('auth.admin.approved' as const) : ('auth.admin.declined' as const),
        }
      }
      default:
        throw new Response('error.badRequest.title', { status: 400 })
    }
  })
}

export default function AdminTeachers() {
  const t = useT()
  const { modes, registrationMode, pending, decided } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { base } = usePlatformLayout()
  return (
    <section>
      <p>
        <Link to={`${base}/admin`}>← {t('admin.title')}</Link>
      </p>
      <h1>{t('auth.admin.title')}</h1>
      <FormMessage result={result} />
      <section className="card" aria-labelledby="registration-h">
        <h2 id="registration-h">{t('auth.admin.mode')}</h2>
        <Form method="post" className="stack" noValidate data-testid="registration-mode">
          <CsrfInput />
          <input type="hidden" name="intent" value="registration-mode" />
          {modes.map((m) => (
            <label key={m}>
              <input type="radio" name="registrationMode" value={m} defaultChecked={m === registrationMode} />{' '}
              {t(`auth.registration.mode.${m}`)}
            </label>
          ))}
          <button type="submit" className="button">
            {t('form.save')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="pending-h">
        <h2 id="pending-h">{t('auth.admin.pending')}</h2>
        {pending.length ? <RequestTable rows={pending} decide /> : <p className="muted">{t('auth.admin.none')}</p>}
      </section>
      {decided.length ? (
        <section aria-labelledby="decided-h">
          <h2 id="decided-h">{t('auth.admin.decided')}</h2>
          <RequestTable rows={decided} />
        </section>
      ) : null}
    </section>
  )
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['pending'][number]

function RequestTable({ rows, decide = false }: { rows: Row[]; decide?: boolean }) {
  const t = useT()
  return (
    <div className="table-wrap">
      <table data-testid={decide ? 'teacher-requests' : 'teacher-decisions'}>
        <thead>
          <tr>
            <th>{t('auth.admin.col.applicant')}</th>
            <th>{t('admin.col.contact')}</th>
            <th>{t('auth.admin.col.school')}</th>
            <th>{t('auth.admin.col.subjects')}</th>
            <th>{t('auth.admin.col.note')}</th>
            <th>{t('auth.admin.col.requestedAt')}</th>
            <th>{decide ? t('admin.col.actions') : t('auth.admin.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.contact}</td>
              <td>{r.schoolName}</td>
              <td>{r.subjects}</td>
              <td>{r.note}</td>
              <td>
                <time dateTime={r.createdAt}>{r.createdAt.replace('T', ' ').slice(0, 16)}</time>
              </td>
              <td>
                {decide ? (
                  <>
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="requestId" value={r.id} />
                      <button type="submit" name="intent" value="approve" className="button small">
                        {t('auth.admin.approve')}
                      </button>{' '}
                      <button type="submit" name="intent" value="decline" className="link-button">
                        {t('auth.admin.decline')}
                      </button>
                    </Form>
                  </>
                ) : (
                  t(`auth.teacher.status.${r.status}`)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
