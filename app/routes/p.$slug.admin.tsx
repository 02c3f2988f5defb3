import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { UserStatus } from '~/lib/db.server.ts'
import { ROLES } from '~/lib/roles.ts'
import { throwAsResponse, runAction } from '~/lib/http.server.ts'
import { isMessageKey } from '~/lib/i18n/index.ts'
import { requirePlatform, requirePlatformPermission } from '~/lib/platform.server.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { findChildPlatforms } from '~/models/platform.server.ts'
import { grantRole, revokeRole, setUserStatus } from '~/services/platform/manage-roles.server.ts'
import { listAuditLog, listPlatformMembers } from '~/services/platform/read-platform-admin.server.ts'
import { updatePlatformBranding } from '~/services/platform/update-platform-branding.server.ts'
import { updateSensitiveWords } from '~/services/safety/sensitive-words.server.ts'
import { updateReviewRules } from '~/services/review/rules-config.server.ts'
import { CRITERIA } from '~/lib/review-codes.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { prisma } from '~/lib/db.server.ts'
import { countPendingTeacherRequests } from '~/services/auth/teacher-certification.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.admin')
  try {
    const [members, audit, children, words, pendingTeachers] = await Promise.all([
      listPlatformMembers(actor, platform.id),
      listAuditLog(actor, platform.id, { take: 50, includeDescendants: true }),
      findChildPlatforms(platform.id),
      prisma.platform.findUniqueOrThrow({
        where: { id: platform.id },
        select: {
          sensitiveWords: true,
          reviewRequired: true,
          reviewersNeeded: true,
          reviewCriteria: true,
          reviewPassScore: true,
        },
      }),
      countPendingTeacherRequests(actor, platform.id),
    ])
    return {
      pendingTeachers,
      sensitiveWords: words.sensitiveWords.join('\n'),
      rules: {
        reviewRequired: words.reviewRequired,
        reviewersNeeded: words.reviewersNeeded,
        reviewCriteria: words.reviewCriteria,
        reviewPassScore: words.reviewPassScore,
      },
      members,
      audit: audit.map((a) => ({
        id: a.id,
        at: a.at.toISOString(),
        action: a.action,
        actorName: a.actorName,
        target: a.targetType ? `${a.targetType}` : '',
      })),
      children: children.map((c) => ({ slug: c.slug, name: c.name, level: c.level, mode: c.mode, status: c.status })),
    }
  } catch (e) {
    throwAsResponse(e)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const meta = requestMeta(context)
    switch (form.get('intent')) {
      case 'branding':
        await updatePlatformBranding(
          actor,
          platform.id,
          {
            name: formString(form, 'name', 200),
            bannerText: formString(form, 'bannerText', 500),
            primaryColor: formString(form, 'primaryColor', 20),
            accentColor: formString(form, 'accentColor', 20),
            logoUrl: formString(form, 'logoUrl', 1000),
          },
          meta,
        )
        return { ok: true as const, message: 'admin.brandingSaved' as const }
      case 'review-rules':
        await updateReviewRules(
          actor,
          platform.id,
          {
            reviewRequired: form.get('reviewRequired') === 'on',
            reviewersNeeded: Number(formString(form, 'reviewersNeeded', 2)),
            reviewCriteria: form
              .getAll('reviewCriteria')
              .filter((v): v is string => typeof v === 'string')
              .slice(0, 10),
            reviewPassScore: Number(formString(form, 'reviewPassScore', 5)),
          },
          meta,
        )
        return { ok: true as const, message: 'review.rulesSaved' as const }
      case 'sensitive-words': {
        const n = await updateSensitiveWords(actor, platform.id, formString(form, 'sensitiveWords', 100_000), meta)
        return { ok: true as const, message: 'safety.saved' as const, messageParams: { n } }
      }
      case 'grant':
        await grantRole(
          actor,
          {
            platformId: platform.id,
            identifier: formString(form, 'identifier', 300),
            role: formString(form, 'role', 40),
          },
          meta,
        )
        return { ok: true as const, message: 'admin.roleGranted' as const }
      case 'revoke':
        await revokeRole(actor, { assignmentId: formString(form, 'assignmentId', 60) }, meta)
        return { ok: true as const, message: 'admin.roleRevoked' as const }
      case 'disable':
      case 'enable': {
        const disable = form.get('intent') === 'disable'
        await setUserStatus(
          actor,
          { userId: formString(form, 'userId', 60), status: disable ? UserStatus.DISABLED : UserStatus.ACTIVE },
          meta,
        )
        return {
          ok: true as const,
          message: disable ? ('admin.userDisabled' as const) : ('admin.userEnabled' as const),
        }
      }
      default:
        throw new Response('error.badRequest.title', { status: 400 })
    }
  })
}

export default function Admin() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { members, audit, children } = data
  const result = useActionData<typeof action>()
  const { platform, base } = usePlatformLayout()
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <p>
        <Link to={`${base}/admin/teachers`} data-testid="admin-teachers-link">
          {t('auth.admin.link')}
        </Link>
        {data.pendingTeachers ? (
          <span className="badge"> {t('auth.admin.pendingCount', { n: data.pendingTeachers })}</span>
        ) : null}
      </p>
      <FormMessage result={result} />
      <div className="grid-2">
        <section className="card" aria-labelledby="brand-h">
          <h2 id="brand-h">{t('admin.branding')}</h2>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="branding" />
            <Field name="name" label="field.name" defaultValue={platform.name} result={result} maxLength={60} />
            <Field
              name="bannerText"
              label="field.bannerText"
              defaultValue={platform.bannerText ?? ''}
              result={result}
              maxLength={120}
            />
            <Field
              name="primaryColor"
              label="field.primaryColor"
              defaultValue={platform.primaryColor}
              result={result}
            />
            <Field name="accentColor" label="field.accentColor" defaultValue={platform.accentColor} result={result} />
            <Field name="logoUrl" label="field.logoUrl" defaultValue={platform.logoUrl ?? ''} result={result} />
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="rules-h">
          <h2 id="rules-h">{t('review.rules')}</h2>
          <Form method="post" className="stack" noValidate data-testid="review-rules">
            <CsrfInput />
            <input type="hidden" name="intent" value="review-rules" />
            <label>
              <input type="checkbox" name="reviewRequired" defaultChecked={data.rules.reviewRequired} />{' '}
              {t('review.rules.required')}
            </label>
            <label>
              {t('review.rules.reviewers')}{' '}
              <select name="reviewersNeeded" defaultValue={String(data.rules.reviewersNeeded)}>
                <option value="1">1</option>
                <option value="2">2</option>
              </select>
            </label>
            <fieldset className="kp-list">
              <legend>{t('review.rules.criteria')}</legend>
              {CRITERIA.map((c) => (
                <label key={c} className="kp">
                  <input
                    type="checkbox"
                    name="reviewCriteria"
                    value={c}
                    defaultChecked={data.rules.reviewCriteria.includes(c)}
                  />{' '}
                  {t(`review.criterion.${c}` as MessageKey)}
                </label>
              ))}
            </fieldset>
            <label>
              {t('review.rules.passScore')}{' '}
              <input
                type="number"
                name="reviewPassScore"
                min={1}
                max={5}
                step={0.5}
                defaultValue={data.rules.reviewPassScore}
              />
            </label>
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="words-h">
          <h2 id="words-h">{t('safety.sensitiveWords')}</h2>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="sensitive-words" />
            <p className="muted small">{t('safety.sensitiveWordsHint')}</p>
            <textarea
              name="sensitiveWords"
              rows={5}
              defaultValue={data.sensitiveWords}
              aria-label={t('safety.sensitiveWords')}
              data-testid="sensitive-words"
            />
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="grant-h">
          <h2 id="grant-h">{t('admin.grantRole')}</h2>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="grant" />
            <Field name="identifier" label="admin.userIdentifier" result={result} maxLength={254} />
            <Field name="role" label="field.role" result={result}>
              <select id="f-role" name="role">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" className="button">
              {t('admin.grantRole')}
            </button>
          </Form>
        </section>
      </div>

      <section aria-labelledby="members-h">
        <h2 id="members-h">{t('admin.members')}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('admin.col.name')}</th>
                <th>{t('admin.col.contact')}</th>
                <th>{t('admin.col.roles')}</th>
                <th>{t('admin.col.status')}</th>
                <th>{t('admin.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.displayName}
                    {m.schoolName ? <span className="muted small"> · {m.schoolName}</span> : null}
                  </td>
                  <td>{m.phone ?? m.email}</td>
                  <td>
                    {m.roles.map((r) => (
                      <Form method="post" key={r.id} className="inline chip">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="assignmentId" value={r.id} />
                        {t(`role.${r.role}`)}{' '}
                        <button
                          type="submit"
                          className="link-button small"
                          aria-label={`${t('admin.revokeRole')} ${t(`role.${r.role}`)}`}
                        >
                          ×
                        </button>
                      </Form>
                    ))}
                  </td>
                  <td>{t(`user.status.${m.status}`)}</td>
                  <td>
                    <Form method="post" className="inline">
                      <CsrfInput />
                      <input type="hidden" name="userId" value={m.id} />
                      <input type="hidden" name="intent" value={m.status === 'ACTIVE' ? 'disable' : 'enable'} />
                      <button type="submit" className="link-button">
                        {m.status === 'ACTIVE' ? t('admin.disableUser') : t('admin.enableUser')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {children.length ? (
        <section aria-labelledby="children-h">
          <h2 id="children-h">{t('admin.children')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('field.name')}</th>
                  <th>{t('admin.col.level')}</th>
                  <th>{t('admin.col.mode')}</th>
                  <th>{t('admin.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.slug}>
                    <td>
                      <Link to={`/p/${c.slug}/admin`}>{c.name}</Link>
                    </td>
                    <td>{t(`platform.level.${c.level}`)}</td>
                    <td>{t(`platform.mode.${c.mode}`)}</td>
                    <td>{t(`platform.status.${c.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="audit-h">
        <h2 id="audit-h">{t('admin.audit')}</h2>
        {audit.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('admin.col.time')}</th>
                  <th>{t('admin.col.action')}</th>
                  <th>{t('admin.col.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {audit.map((a) => {
                  const key = `audit.${a.action}`
                  return (
                    <tr key={a.id}>
                      <td>
                        <time dateTime={a.at}>{a.at.replace('T', ' ').slice(0, 19)}</time>
                      </td>
                      <td>{isMessageKey(key) ? t(key) : a.action}</td>
                      <td>{a.actorName ?? '—'}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t('admin.auditEmpty')}</p>
        )}
      </section>
    </section>
  )
}
