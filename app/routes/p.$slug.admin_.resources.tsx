/** 资源管理: the platform's (and its sub-platforms') resources for its admins, with bulk 下架 (after a
 * confirmation step in the page, not a browser dialog) and bulk 恢复. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { Pager } from '~/components/admin/pager.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { RESOURCE_TYPES } from '~/lib/curriculum.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { linkHere, requirePlatform, requirePlatformPermission } from '~/lib/platform.server.ts'
import { platformHref } from '~/lib/platform-links.ts'
import { TAKEDOWN_REASONS } from '~/lib/review-codes.ts'
import { requestMeta, requireActor } from '~/lib/session.server.ts'
import {
  BULK_MAX,
  bulkRestore,
  bulkTakedown,
  listManagedResources,
  MANAGED_STATUSES,
  previewBulk,
} from '~/services/platform/manage-resources.server.ts'
import { validation } from '~/lib/errors.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'resource.takedown')
  const sp = new URL(request.url).searchParams
  const list = await listManagedResources(actor, platform.id, {
    q: sp.get('q'),
    status: sp.get('status'),
    type: sp.get('type'),
    uploader: sp.get('uploader'),
    school: sp.get('school'),
    page: sp.get('page'),
  }).catch(throwAsResponse)
  const here = linkHere(context, platform)
  const rows = list.rows.map(({ link, ...r }) => ({ ...r, href: platformHref(link, link.path, here) }))
  return {
    list: { ...list, rows },
    statuses: [...MANAGED_STATUSES],
    types: [...RESOURCE_TYPES],
    reasons: [...TAKEDOWN_REASONS],
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const meta = requestMeta(context)
    const ids = form.getAll('ids').slice(0, BULK_MAX + 1)
    const reason = formString(form, 'reason', 20)
    const note = formString(form, 'note', 600)
    switch (form.get('intent')) {
      case 'takedown': {
        // Step one shows what would be taken down and asks; step two (confirmed) does it.
        if (form.get('confirmed') !== 'yes') {
          const items = await previewBulk(actor, platform.id, ids)
          if (!reason) throw validation({ reason: 'admin.resources.error.reason' }, 'admin.resources.error.reason')
          return { ok: true as const, step: 'confirm' as const, items, reason, note }
        }
        const result = await bulkTakedown(actor, platform.id, { ids, reason, note }, meta)
        return { ok: true as const, step: 'done' as const, kind: 'takedown' as const, result }
      }
      case 'restore': {
        const result = await bulkRestore(actor, platform.id, { ids }, meta)
        return { ok: true as const, step: 'done' as const, kind: 'restore' as const, result }
      }
      default:
        throw new Response('error.badRequest.title', { status: 400 })
    }
  })
}

export default function AdminResources() {
  const t = useT()
  const { list, statuses, types, reasons } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { base } = usePlatformLayout()
  const location = useLocation()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const bulkForm = useRef<HTMLFormElement>(null)
  const confirmRef = useRef<HTMLElement>(null)
  const confirm = result && result.ok && result.step === 'confirm' ? result : null
  const done = result && result.ok && result.step === 'done' ? result : null
  const failure = result && !result.ok ? result : null

  // The confirmation takes the focus (screen readers announce it; on a phone it scrolls into view);
  // after an action the selection is cleared.
  useEffect(() => {
    if (confirm) confirmRef.current?.focus()
  }, [confirm])
  useEffect(() => {
    if (done) bulkForm.current?.reset()
  }, [done])

  const selectAll = (checked: boolean) => {
    for (const el of bulkForm.current?.ownerDocument.querySelectorAll<HTMLInputElement>(
      'input[name="ids"][form="bulk"]',
    ) ?? [])
      el.checked = checked
  }

  const { filters } = list
  return (
    <section>
      <p>
        <Link to={`${base}/admin`}>← {t('admin.title')}</Link>
      </p>
      <h1>{t('admin.resources.title')}</h1>
      <p className="muted">{t('admin.resources.scope')}</p>

      <Form method="get" className="admin-filters" data-testid="resource-filters">
        <label>
          <span className="admin-sr-only">{t('admin.resources.search')}</span>
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder={t('admin.resources.search')}
            maxLength={60}
          />
        </label>
        <label>
          {t('admin.resources.col.status')}{' '}
          <select name="status" defaultValue={filters.status}>
            <option value="">{t('admin.resources.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`resource.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.resources.col.type')}{' '}
          <select name="type" defaultValue={filters.type}>
            <option value="">{t('admin.resources.all')}</option>
            {types.map((c) => (
              <option key={c} value={c}>
                {t(`resourceType.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.resources.col.uploader')}{' '}
          <input
            name="uploader"
            defaultValue={filters.uploader}
            placeholder={t('admin.resources.uploaderHint')}
            maxLength={40}
            size={14}
          />
        </label>
        <label>
          {t('admin.resources.col.school')}{' '}
          <select name="school" defaultValue={filters.school}>
            <option value="">{t('admin.resources.all')}</option>
            {list.schools.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button small">
          {t('admin.resources.filter')}
        </button>
        <Link to={location.pathname} className="small">
          {t('admin.resources.reset')}
        </Link>
      </Form>

      {failure ? <FormMessage result={failure} /> : null}

      {confirm ? (
        <section
          className="admin-confirm"
          aria-labelledby="confirm-h"
          ref={confirmRef}
          tabIndex={-1}
          data-testid="takedown-confirm"
        >
          <h2 id="confirm-h">{t('admin.resources.confirm.title', { n: confirm.items.length })}</h2>
          <p>
            {t('admin.resources.confirm.reason')}
            {t(`review.takedown.${confirm.reason}` as MessageKey)}
            {confirm.note ? ` · ${confirm.note}` : ''}
          </p>
          <ul>
            {confirm.items.map((i) => (
              <li key={i.id}>
                {i.title ?? t('admin.resources.error.notHere')}
                {i.status && i.status !== 'PUBLISHED' ? (
                  <span className="muted small"> ({t(`resource.status.${i.status}`)})</span>
                ) : null}
              </li>
            ))}
          </ul>
          <p className="muted small">{t('admin.resources.confirm.hint')}</p>
          <Form method="post" className="admin-confirm-actions">
            <CsrfInput />
            <input type="hidden" name="intent" value="takedown" />
            <input type="hidden" name="confirmed" value="yes" />
            <input type="hidden" name="reason" value={confirm.reason} />
            <input type="hidden" name="note" value={confirm.note} />
            {confirm.items.map((i) => (
              <input key={i.id} type="hidden" name="ids" value={i.id} />
            ))}
            <button type="submit" className="button button-danger" disabled={busy} data-testid="confirm-takedown">
              {t('admin.resources.confirm.yes', { n: confirm.items.length })}
            </button>
            <Link to={location.pathname + location.search} className="button button-secondary" replace>
              {t('admin.resources.confirm.cancel')}
            </Link>
          </Form>
        </section>
      ) : null}

      {done ? (
        <section className="alert alert-ok" role="status" data-testid="bulk-result">
          <p>
            {t(done.kind === 'takedown' ? 'admin.resources.done.takedown' : 'admin.resources.done.restore', {
              n: done.result.done,
            })}
            {done.result.failed ? ` ${t('admin.resources.done.failed', { n: done.result.failed })}` : ''}
          </p>
          <ul className="small">
            {done.result.items.map((i) => (
              <li key={i.id} data-ok={i.ok ? 'yes' : 'no'}>
                {i.title ?? i.id} — {i.ok ? t('admin.resources.item.ok') : t(i.error ?? 'form.invalid')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Form method="post" id="bulk" ref={bulkForm} className="admin-bulk" data-testid="bulk-form">
        <CsrfInput />
        <label>
          {t('admin.resources.reason')}{' '}
          <select name="reason" defaultValue="" data-testid="bulk-reason">
            <option value="">{t('admin.resources.chooseReason')}</option>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {t(`review.takedown.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.resources.note')} <input name="note" maxLength={500} size={16} />
        </label>
        <button type="submit" name="intent" value="takedown" className="button small button-danger" disabled={busy}>
          {t('admin.resources.takedownSelected')}
        </button>
        <button type="submit" name="intent" value="restore" className="button small button-secondary" disabled={busy}>
          {t('admin.resources.restoreSelected')}
        </button>
      </Form>

      <p className="muted small" data-testid="resource-total">
        {t('admin.resources.total', { n: list.total })}
      </p>
      {list.rows.length === 0 ? (
        <p className="empty">{t('admin.resources.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table-cards" data-testid="resource-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('admin.resources.selectAll')}
                    onChange={(e) => selectAll(e.currentTarget.checked)}
                  />
                </th>
                <th>{t('admin.resources.col.title')}</th>
                <th>{t('admin.resources.col.type')}</th>
                <th>{t('admin.resources.col.status')}</th>
                <th>{t('admin.resources.col.uploader')}</th>
                <th>{t('admin.resources.col.platform')}</th>
                <th>{t('admin.resources.col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id} data-testid="managed-resource" data-id={r.id}>
                  <td className="cell-select">
                    <input
                      type="checkbox"
                      name="ids"
                      value={r.id}
                      form="bulk"
                      aria-label={t('admin.resources.select', { title: r.title })}
                    />
                  </td>
                  <td className="cell-title" data-label={t('admin.resources.col.title')}>
                    <Link to={r.href}>{r.title}</Link>
                  </td>
                  <td data-label={t('admin.resources.col.type')}>
                    {t(`resourceType.${r.resourceType}` as MessageKey)}
                  </td>
                  <td data-label={t('admin.resources.col.status')}>
                    <span className={`admin-status admin-status-${r.status}`}>{t(`resource.status.${r.status}`)}</span>
                    {r.takedownReason ? (
                      <span className="muted small"> · {t(`review.takedown.${r.takedownReason}` as MessageKey)}</span>
                    ) : null}
                  </td>
                  <td data-label={t('admin.resources.col.uploader')}>
                    {r.ownerName}
                    {r.schoolName ? <span className="muted small"> · {r.schoolName}</span> : null}
                  </td>
                  <td data-label={t('admin.resources.col.platform')}>{r.platformName}</td>
                  <td data-label={t('admin.resources.col.updated')} className="small">
                    {r.updated}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pages={list.pages} />
    </section>
  )
}
