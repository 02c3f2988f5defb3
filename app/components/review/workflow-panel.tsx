/** The review workflow on the resource page: submit (owner), the latest decision with its
 * reasons and per-field comments, a published resource's pending revision (what it changes, its
 * files, submit or withdraw it), takedown and restore (admins), recommend upward (reviewers). */
import { useFetcher } from '@remix-run/react'
import { isMessageKey, type MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'

import { TAKEDOWN_REASONS as TAKEDOWN } from '~/lib/review-codes.ts'
import { CsrfInput } from '../form.tsx'

type Decision = {
  outcome: string
  decidedAt: string
  reasons: string[]
  comments: string[]
  fieldComments: { field: string; text: string }[]
}

export type RevisionPanelData = {
  id: string
  status: string
  open: boolean
  editable: boolean
  changes: { field: string; before: unknown; after: unknown }[]
  files: { id: string; role: string; status: string; originalName: string; errorKey: string | null }[]
  inFlight: boolean
  canSubmit: boolean
  canDiscard: boolean
  decision: Decision | null
}

export type Workflow = {
  status: string
  reviewRequired: boolean
  canSubmit: boolean
  canTakedown: boolean
  canRestore: boolean
  canRecommend: boolean
  recommended: boolean
  takedownReason: string | null
  decision: Decision | null
  revision: RevisionPanelData | null
}

function Action({
  action,
  intent,
  children,
  className,
  testId,
}: {
  action: string
  intent: string
  children: React.ReactNode
  className?: string
  testId?: string
}) {
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  return (
    <fetcher.Form method="post" action={action} className={className ?? 'rating-form'} data-testid={testId}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {children}
      {fetcher.data?.error && (
        <span className="field-error" role="alert">
          {' '}
          {fetcher.data.error}
        </span>
      )}
    </fetcher.Form>
  )
}

function DecisionDetails({ d }: { d: Decision }) {
  const t = useT()
  return (
    <>
      {d.reasons.length > 0 && <p>{d.reasons.map((r) => t(`review.reason.${r}` as MessageKey)).join('；')}</p>}
      {d.fieldComments.length > 0 && (
        <dl className="kv">
          {d.fieldComments.map((c) => (
            <span key={c.field + c.text} style={{ display: 'contents' }}>
              <dt>{t(`review.field.${c.field}` as MessageKey)}</dt>
              <dd data-testid="field-comment">{c.text}</dd>
            </span>
          ))}
        </dl>
      )}
      {d.comments.map((c) => (
        <p key={c} className="comment-body">
          {c}
        </p>
      ))}
      <p className="muted small">{new Date(d.decidedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</p>
    </>
  )
}

/** A field's value in a diff, for reading. */
function shown(v: unknown) {
  if (v === null || v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.length ? v.join('、') : '—'
  return String(v)
}

/** A published resource's pending change: what it changes, its files, submit or withdraw it. */
function RevisionPanel({ rev, action }: { rev: RevisionPanelData; action: string }) {
  const t = useT()
  const closed = !rev.open
  return (
    <section
      className={`card ${rev.status === 'REJECTED' ? 'alert-error' : 'alert'}`}
      data-testid="pending-revision"
      data-status={rev.status}
    >
      <h2>
        {t('review.revision.title')} · {t(`review.revision.status.${rev.status}` as MessageKey)}
      </h2>
      <p className="muted small">
        {closed
          ? t('review.revision.rejected')
          : rev.editable
            ? t('review.revision.hint')
            : t('review.revision.submitted')}
      </p>
      {rev.decision && (
        <div data-testid="revision-decision">
          <p>
            <strong>
              {t('review.latestDecision')}: {t(`review.outcome.${rev.decision.outcome}` as MessageKey)}
            </strong>
          </p>
          <DecisionDetails d={rev.decision} />
        </div>
      )}
      <h3>{t('review.revision.changes')}</h3>
      {rev.changes.length === 0 ? (
        <p className="muted">{t('review.revision.noChanges')}</p>
      ) : (
        <ul data-testid="revision-changes">
          {rev.changes.map((c) => (
            <li key={c.field} data-field={c.field}>
              <strong>
                {isMessageKey(`review.field.${c.field}`) ? t(`review.field.${c.field}` as MessageKey) : c.field}
              </strong>
              : <del>{shown(c.before)}</del> → <ins>{shown(c.after)}</ins>
            </li>
          ))}
        </ul>
      )}
      {rev.files.length > 0 && (
        <>
          <h3>{t('review.revision.files')}</h3>
          <ul data-testid="revision-files">
            {rev.files.map((f) => (
              <li key={f.id} data-status={f.status}>
                {t(`review.revision.fileRole.${f.role === 'SUBTITLE' ? 'SUBTITLE' : 'REPLACEMENT'}`)}: {f.originalName}{' '}
                · {t(`file.status.${f.status}` as MessageKey)}
                {f.errorKey && isMessageKey(f.errorKey) && <span className="muted"> · {t(f.errorKey)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {rev.editable && rev.inFlight && <p className="muted">{t('review.revision.waitFiles')}</p>}
      {rev.canSubmit && (
        <Action action={action} intent="submit-revision" testId="submit-revision-form">
          {t('review.revision.submitHint')}{' '}
          <button type="submit" className="button small" data-testid="submit-revision">
            {t('review.revision.submit')}
          </button>
        </Action>
      )}
      {rev.canDiscard && (
        <Action action={action} intent="discard-revision" testId="discard-revision-form">
          <button type="submit" className="link-button small" data-testid="discard-revision">
            {t('review.revision.discard')}
          </button>
        </Action>
      )}
    </section>
  )
}

export function WorkflowPanel({ wf, action }: { wf: Workflow; action: string }) {
  const t = useT()
  const d = wf.decision
  return (
    <>
      {wf.status === 'TAKEN_DOWN' && (
        <p className="alert alert-error" data-testid="taken-down">
          {t('review.takenDownNotice', { reason: t(`review.takedown.${wf.takedownReason ?? 'OTHER'}` as MessageKey) })}
        </p>
      )}
      {d && (wf.status === 'CHANGES_REQUESTED' || wf.status === 'REJECTED' || wf.status === 'DRAFT') && (
        <section className={`card ${d.outcome === 'REJECTED' ? 'alert-error' : 'alert'}`} data-testid="review-decision">
          <h2>
            {t('review.latestDecision')}: {t(`review.outcome.${d.outcome}` as MessageKey)}
          </h2>
          <DecisionDetails d={d} />
        </section>
      )}
      {wf.revision && <RevisionPanel rev={wf.revision} action={action} />}
      {wf.canSubmit && (
        <Action action={action} intent="submit" className="alert" testId="submit-form">
          {wf.status === 'CHANGES_REQUESTED'
            ? t('review.resubmitHint')
            : wf.reviewRequired
              ? t('review.submitHint')
              : t('resource.publishHint')}{' '}
          <button type="submit" className="button small" data-testid="submit-review">
            {wf.reviewRequired ? t('review.submit') : t('resource.publish')}
          </button>
        </Action>
      )}
      {(wf.status === 'SUBMITTED' || wf.status === 'IN_REVIEW') && (
        <p className="alert" data-testid="in-review">
          {t('review.submitted')}
        </p>
      )}
      {wf.canRecommend && (
        <Action action={action} intent="recommend" className="alert" testId="recommend-form">
          {t('review.recommendHint')}{' '}
          <button type="submit" className="button small" data-testid="recommend">
            {t('review.recommend')}
          </button>
        </Action>
      )}
      {wf.recommended && (
        <p className="muted" data-testid="recommended">
          {t('review.recommended')}
        </p>
      )}
      {wf.canTakedown && (
        <details className="card">
          <summary>{t('review.takedown')}</summary>
          <Action action={action} intent="takedown" testId="takedown-form">
            <label>
              {t('review.takedownReasonLabel')}{' '}
              <select name="reason" required defaultValue="">
                <option value="" disabled>
                  —
                </option>
                {TAKEDOWN.map((r) => (
                  <option key={r} value={r}>
                    {t(`review.takedown.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('review.takedownNote')} <input name="note" maxLength={500} />
            </label>
            <button type="submit" className="button small">
              {t('review.takedown')}
            </button>
          </Action>
        </details>
      )}
      {wf.canRestore && (
        <Action action={action} intent="restore" className="alert">
          <button type="submit" className="button small" data-testid="restore">
            {t('review.restore')}
          </button>
        </Action>
      )}
    </>
  )
}
