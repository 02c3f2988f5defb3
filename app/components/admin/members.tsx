/** 用户与角色: search, a page of members with masked contacts (revealed one at a time for those who
 * manage the account), the roles this admin may revoke, and enabling or disabling accounts. */
import { Form } from '@remix-run/react'
import { CsrfInput } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { Pager } from './pager.tsx'

export type MemberRow = {
  id: string
  displayName: string
  schoolName: string | null
  homePlatformName: string | null
  contact: string
  status: 'ACTIVE' | 'DISABLED'
  canReveal: boolean
  canChangeStatus: boolean
  roles: { id: string; role: string; revocable: boolean }[]
}

export function MembersSection(props: {
  rows: MemberRow[]
  total: number
  page: number
  pages: number
  filters: { q: string; role: string }
  roles: readonly string[]
  revealed: { userId: string; phone: string | null; email: string | null } | null
}) {
  const t = useT()
  const { rows, filters, revealed } = props
  return (
    <section aria-labelledby="members-h" id="members" data-testid="members">
      <h2 id="members-h">{t('admin.members')}</h2>
      <Form method="get" className="admin-filters" data-testid="member-search" preventScrollReset>
        <label>
          <span className="admin-sr-only">{t('admin.members.search')}</span>
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder={t('admin.members.search')}
            maxLength={40}
          />
        </label>
        <label>
          {t('admin.col.roles')}{' '}
          <select name="role" defaultValue={filters.role}>
            <option value="">{t('admin.resources.all')}</option>
            {props.roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as 'role.TEACHER')}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button small">
          {t('admin.resources.filter')}
        </button>
      </Form>
      <p className="muted small">
        {t('admin.members.total', { n: props.total })} {t('admin.members.maskNote')}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t('admin.members.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table-cards members-table" data-testid="members-table">
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
              {rows.map((m) => {
                const shown = revealed && revealed.userId === m.id ? (revealed.phone ?? revealed.email ?? '') : null
                return (
                  <tr key={m.id} data-testid="member-row">
                    <td className="cell-title" data-label={t('admin.col.name')}>
                      {m.displayName}
                      {m.schoolName ? <span className="muted small"> · {m.schoolName}</span> : null}
                      {m.homePlatformName ? (
                        <span className="muted small">
                          {' '}
                          · {t('admin.members.homeElsewhere', { name: m.homePlatformName })}
                        </span>
                      ) : null}
                    </td>
                    <td data-label={t('admin.col.contact')}>
                      {shown ? (
                        <span data-testid="contact-full">{shown}</span>
                      ) : (
                        <>
                          <span data-testid="contact-masked">{m.contact || '—'}</span>
                          {m.canReveal ? (
                            <Form method="post" className="inline" preventScrollReset>
                              <CsrfInput />
                              <input type="hidden" name="intent" value="reveal-contact" />
                              <input type="hidden" name="userId" value={m.id} />{' '}
                              <button
                                type="submit"
                                className="link-button small"
                                aria-label={t('admin.members.revealFor', { name: m.displayName })}
                              >
                                {t('admin.members.reveal')}
                              </button>
                            </Form>
                          ) : null}
                        </>
                      )}
                    </td>
                    <td data-label={t('admin.col.roles')}>
                      {m.roles.length
                        ? m.roles.map((r) =>
                            r.revocable ? (
                              <Form method="post" key={r.id} className="inline chip" preventScrollReset>
                                <CsrfInput />
                                <input type="hidden" name="intent" value="revoke" />
                                <input type="hidden" name="assignmentId" value={r.id} />
                                {t(`role.${r.role}` as 'role.TEACHER')}{' '}
                                <button
                                  type="submit"
                                  className="link-button small"
                                  aria-label={`${t('admin.revokeRole')} ${t(`role.${r.role}` as 'role.TEACHER')}`}
                                >
                                  ×
                                </button>
                              </Form>
                            ) : (
                              <span key={r.id} className="chip">
                                {t(`role.${r.role}` as 'role.TEACHER')}
                              </span>
                            ),
                          )
                        : '—'}
                    </td>
                    <td data-label={t('admin.col.status')}>{t(`user.status.${m.status}`)}</td>
                    <td data-label={t('admin.col.actions')}>
                      {m.canChangeStatus ? (
                        <Form method="post" className="inline" preventScrollReset>
                          <CsrfInput />
                          <input type="hidden" name="userId" value={m.id} />
                          <input type="hidden" name="intent" value={m.status === 'ACTIVE' ? 'disable' : 'enable'} />
                          <button type="submit" className="link-button">
                            {m.status === 'ACTIVE' ? t('admin.disableUser') : t('admin.enableUser')}
                          </button>
                        </Form>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={props.page} pages={props.pages} hash="#members" />
    </section>
  )
}
