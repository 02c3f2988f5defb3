import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AuditTable } from '~/components/admin/audit-table.tsx'
import { BrandingForm, FooterForm, LogoForm } from '~/components/admin/branding.tsx'
import { MembersSection } from '~/components/admin/members.tsx'
import { CsrfInput, Field, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { UserStatus } from '~/lib/db.server.ts'
import { ROLES } from '~/lib/roles.ts'
import { throwAsResponse, runAction } from '~/lib/http.server.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { linkHere, requirePlatform, requirePlatformPermission } from '~/lib/platform.server.ts'
import { platformHref } from '~/lib/platform-links.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import { findChildPlatforms } from '~/models/platform.server.ts'
import { can } from '~/services/authorization.server.ts'
import { forPage, queryAuditLog } from '~/services/platform/audit-query.server.ts'
import { grantRole, revokeRole, setUserStatus } from '~/services/platform/manage-roles.server.ts'
import { revealMemberContact, searchPlatformMembers } from '~/services/platform/members.server.ts'
import { readPlatformSettings } from '~/services/platform/read-platform-admin.server.ts'
import {
  updatePlatformBranding,
  updatePlatformFooter,
  updatePlatformLogo,
} from '~/services/platform/update-platform-branding.server.ts'
import { updateSensitiveWords } from '~/services/safety/sensitive-words.server.ts'
import { updateCommentTemplates, updateReviewRules } from '~/services/review/rules-config.server.ts'
import { CRITERIA } from '~/lib/review-codes.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { countPendingTeacherRequests } from '~/services/auth/teacher-certification.server.ts'
import { AppError } from '~/lib/errors.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'platform.admin')
  const sp = new URL(request.url).searchParams
  try {
    const [settings, members, audit, children, pendingTeachers] = await Promise.all([
      readPlatformSettings(actor, platform.id),
      searchPlatformMembers(actor, platform.id, { q: sp.get('q'), role: sp.get('role'), page: sp.get('page') }),
      queryAuditLog(actor, platform.id, {}, 6, getLocale(request)),
      findChildPlatforms(platform.id),
      countPendingTeacherRequests(actor, platform.id),
    ])
    const here = linkHere(context, platform)
    const { sensitiveWords, reviewRequired, reviewersNeeded, reviewCriteria, reviewPassScore, ...look } = settings
    return {
      pendingTeachers,
      settings: { ...look, sensitiveWords },
      rules: { reviewRequired, reviewersNeeded, reviewCriteria, reviewPassScore },
      members,
      manageResources: can(actor, 'resource.takedown', platform),
      audit: forPage(audit.rows, here),
      children: children.map((c) => ({
        slug: c.slug,
        name: c.name,
        level: c.level,
        mode: c.mode,
        status: c.status,
        // Each sub-platform's admin page at its own address.
        href: platformHref(c, '/admin', here),
      })),
    }
  } catch (e) {
    throwAsResponse(e)
  }
}

/** The logo arrives as a multipart form (bounded at 1 MB before this runs: app/server/remix-handler.ts). */
async function uploadedBytes(form: FormData, name: string) {
  const v = form.get(name)
  if (!v || typeof v === 'string' || v.size === 0)
    throw new AppError('VALIDATION', 'admin.logo.error.empty', { [name]: 'admin.logo.error.empty' })
  return Buffer.from(await v.arrayBuffer())
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
          },
          meta,
        )
        return { ok: true as const, message: 'admin.brandingSaved' as const }
      case 'logo':
        await updatePlatformLogo(actor, platform.id, await uploadedBytes(form, 'logo'), meta)
        return { ok: true as const, message: 'admin.logo.saved' as const }
      case 'logo-remove':
        await updatePlatformLogo(actor, platform.id, null, meta)
        return { ok: true as const, message: 'admin.logo.removed' as const }
      case 'footer':
        await updatePlatformFooter(
          actor,
          platform.id,
          {
            hostUnit: formString(form, 'hostUnit', 200),
            contact: formString(form, 'contact', 300),
            icpNumber: formString(form, 'icpNumber', 100),
          },
          meta,
        )
        return { ok: true as const, message: 'admin.footer.saved' as const }
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
      case 'comment-templates': {
        const n = await updateCommentTemplates(actor, platform.id, formString(form, 'templates', 20_000), meta)
        return { ok: true as const, message: 'templates.saved' as const, messageParams: { n } }
      }
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
      case 'reveal-contact': {
        const revealed = await revealMemberContact(actor, platform.id, formString(form, 'userId', 60), meta)
        return { ok: true as const, revealed }
      }
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
  const { members, audit, children, settings, rules } = data
  const result = useActionData<typeof action>()
  const { base } = usePlatformLayout()
  const revealed = (result && result.ok && 'revealed' in result ? result.revealed : null) ?? null
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <nav className="admin-links" aria-label={t('admin.title')}>
        {data.manageResources ? (
          <Link to={`${base}/admin/resources`} className="button button-secondary" data-testid="admin-resources-link">
            {t('admin.resources.title')}
          </Link>
        ) : null}
        <Link to={`${base}/audit`} className="button button-secondary" data-testid="admin-audit-link">
          {t('audit.title')}
        </Link>
        <Link to={`${base}/admin/teachers`} className="button button-secondary" data-testid="admin-teachers-link">
          {t('auth.admin.link')}
          {data.pendingTeachers ? (
            <span className="badge"> {t('auth.admin.pendingCount', { n: data.pendingTeachers })}</span>
          ) : null}
        </Link>
      </nav>
      {revealed ? null : <FormMessage result={result} />}
      <div className="grid-2">
        <section className="card" aria-labelledby="brand-h" id="branding">
          <h2 id="brand-h">{t('admin.branding')}</h2>
          <BrandingForm platform={settings} result={result} />
        </section>
        <section className="card" aria-labelledby="logo-h" id="logo">
          <h2 id="logo-h">{t('admin.logo')}</h2>
          <LogoForm logoUrl={settings.logoUrl} result={result} />
        </section>
        <section className="card" aria-labelledby="footer-h" id="footer">
          <h2 id="footer-h">{t('admin.footer.title')}</h2>
          <FooterForm values={settings} result={result} />
        </section>
        <section className="card" aria-labelledby="rules-h">
          <h2 id="rules-h">{t('review.rules')}</h2>
          <Form method="post" className="stack" noValidate data-testid="review-rules">
            <CsrfInput />
            <input type="hidden" name="intent" value="review-rules" />
            <label>
              <input type="checkbox" name="reviewRequired" defaultChecked={rules.reviewRequired} />{' '}
              {t('review.rules.required')}
            </label>
            <label>
              {t('review.rules.reviewers')}{' '}
              <select name="reviewersNeeded" defaultValue={String(rules.reviewersNeeded)}>
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
                    defaultChecked={rules.reviewCriteria.includes(c)}
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
                defaultValue={rules.reviewPassScore}
              />
            </label>
            <button type="submit" className="button">
              {t('form.save')}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="templates-h" id="comment-templates">
          <h2 id="templates-h">{t('templates.title')}</h2>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="comment-templates" />
            <p className="muted small">{t('templates.hint')}</p>
            <textarea
              name="templates"
              rows={5}
              defaultValue={settings.reviewCommentTemplates.join('\n')}
              aria-label={t('templates.title')}
              data-testid="comment-templates"
            />
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
              defaultValue={settings.sensitiveWords.join('\n')}
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
          <Form method="post" className="stack" noValidate data-testid="grant-form" preventScrollReset>
            <CsrfInput />
            <input type="hidden" name="intent" value="grant" />
            <Field name="identifier" label="admin.userIdentifier" result={result} maxLength={254} />
            <Field name="role" label="field.role" result={result}>
              <select id="f-role" name="role" data-testid="grant-role">
                {members.grantable.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </Field>
            <p className="muted small">{t('admin.grantHint')}</p>
            <button type="submit" className="button">
              {t('admin.grantRole')}
            </button>
          </Form>
        </section>
      </div>

      <MembersSection
        rows={members.rows}
        total={members.total}
        page={members.page}
        pages={members.pages}
        filters={members.filters}
        roles={ROLES}
        revealed={revealed}
      />

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
                      <Link to={c.href}>{c.name}</Link>
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
        {audit.length ? <AuditTable rows={audit} /> : <p className="muted">{t('admin.auditEmpty')}</p>}
        <p>
          <Link to={`${base}/audit`}>{t('admin.audit.all')} →</Link>
        </p>
      </section>
    </section>
  )
}
