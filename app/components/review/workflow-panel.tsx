/** The review workflow on the resource page: the checks before submitting and submit, withdraw a
 * submission, delete a draft (owner), the latest decision with its
 * reasons and per-field comments, a published resource's pending revision (what it changes, its
 * files, submit or withdraw it), takedown and restore (admins), recommend upward (reviewers). */
import { useEffect, useState } from 'react'
import { useFetcher, useNavigate } from '@remix-run/react'
import { isMessageKey, type MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'

import { TAKEDOWN_REASONS as TAKEDOWN } from '~/lib/review-codes.ts'
import { CsrfInput } from '../form.tsx'
import { formatDateTime } from '~/lib/dates.ts'
import { TimecodedText } from '../media/timecodes.tsx'
import { ChangeList } from './change-value.tsx'

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

type Check = { key: string; params?: Record<string, string | number>; field?: string }

export type Workflow = {
  status: string
  /** The resource is a video: time codes in comments jump its player. */
  video: boolean
  reviewRequired: boolean
  readiness: { missing: Check[]; flags: Check[] } | null
  fileReady: boolean
  canSubmit: boolean
  canWithdraw: boolean
  canDelete: boolean
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

function DecisionDetails({ d, video }: { d: Decision; video: boolean }) {
  const t = useT()
  return (
    <>
      {d.reasons.length > 0 && <p>{d.reasons.map((r) => t(`review.reason.${r}` as MessageKey)).join('；')}</p>}
      {d.fieldComments.length > 0 && (
        <dl className="kv">
          {d.fieldComments.map((c) => (
            <span key={c.field + c.text} style={{ display: 'contents' }}>
              <dt>{t(`review.field.${c.field}` as MessageKey)}</dt>
              <dd data-testid="field-comment">
                <TimecodedText text={c.text} video={video} />
              </dd>
            </span>
          ))}
        </dl>
      )}
      {d.comments.map((c) => (
        <p key={c} className="comment-body" data-testid="decision-comment">
          <TimecodedText text={c} video={video} />
        </p>
      ))}
      <p className="muted small">{formatDateTime(d.decidedAt)}</p>
    </>
  )
}

/** A published resource's pending change: what it changes, its files, submit or withdraw it. */
function RevisionPanel({ rev, action, video }: { rev: RevisionPanelData; action: string; video: boolean }) {
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
          <DecisionDetails d={rev.decision} video={video} />
        </div>
      )}
      <h3>{t('review.revision.changes')}</h3>
      {rev.changes.length === 0 ? (
        <p className="muted">{t('review.revision.noChanges')}</p>
      ) : (
        <ChangeList changes={rev.changes} testId="revision-changes" />
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
          <DecisionDetails d={d} video={wf.video} />
        </section>
      )}
      {wf.revision && <RevisionPanel rev={wf.revision} action={action} video={wf.video} />}
      {wf.readiness && <SubmissionChecks wf={wf} action={action} />}
      {(wf.status === 'SUBMITTED' || wf.status === 'IN_REVIEW') && (
        <div className="alert" data-testid="in-review">
          <p>{wf.status === 'SUBMITTED' ? t('review.submitted') : t('check.claimedNotice')}</p>
          {wf.canWithdraw && (
            <Action action={action} intent="withdraw" testId="withdraw-form">
              {t('check.withdrawHint')}{' '}
              <button type="submit" className="button small secondary" data-testid="withdraw">
                {t('check.withdraw')}
              </button>
            </Action>
          )}
        </div>
      )}
      {wf.canDelete && <DeleteDraft action={action} />}
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

/** Jumps to the form field that fixes a check (the metadata form's ids are `meta-<field>`). */
function FixLink({ field }: { field?: string }) {
  const t = useT()
  if (!field) return null
  return (
    <>
      {' '}
      <a
        href={`#meta-${field}`}
        className="small"
        onClick={() => {
          const el = document.getElementById(`meta-${field}`)
          const focusable = 'select, textarea, input:not([type=hidden])'
          const input = el?.matches(focusable) ? el : el?.querySelector(focusable)
          setTimeout(() => (input as HTMLElement | null)?.focus(), 0)
        }}
      >
        {t('check.fix')}
      </a>
    </>
  )
}

/** Before submitting: what is missing (submitting waits for it), the reviewer's automatic
 * checks as they stand, and the submit button. */
function SubmissionChecks({ wf, action }: { wf: Workflow; action: string }) {
  const t = useT()
  const { missing, flags } = wf.readiness!
  const say = (c: Check) => (isMessageKey(c.key) ? t(c.key, c.params) : c.key)
  return (
    <section className="card alert" data-testid="submission-checks" data-complete={missing.length ? 'no' : 'yes'}>
      <h2>{t('check.title')}</h2>
      {missing.length > 0 ? (
        <>
          <p data-testid="incomplete">{t('check.incompleteHint', { n: missing.length })}</p>
          <ul className="checks" data-testid="missing">
            {missing.map((c) => (
              <li key={c.key} className="check-missing" data-field={c.field}>
                {say(c)}
                <FixLink field={c.field} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="ok">{t('check.complete')}</p>
      )}
      {wf.reviewRequired && (
        <>
          <h3>{t('check.automatic')}</h3>
          {flags.length === 0 ? (
            <p className="muted small">{t('check.noFlags')}</p>
          ) : (
            <ul className="checks" data-testid="auto-checks">
              {flags.map((c) => (
                <li key={c.key} className="check-flag">
                  {say(c)}
                  <FixLink field={c.field} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {!wf.fileReady && <p className="muted">{t('check.waitForFile')}</p>}
      {wf.canSubmit && (
        <Action action={action} intent="submit" testId="submit-form">
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
    </section>
  )
}

/** Deleting asks first: it cannot be undone. Afterwards the owner lands in 我的空间. */
function DeleteDraft({ action }: { action: string }) {
  const t = useT()
  const [asking, setAsking] = useState(false)
  const fetcher = useFetcher<{ ok: boolean; deleted?: boolean; error?: string }>()
  const navigate = useNavigate()
  const home = action.replace(/\/api\/resources\/[^/]+$/, '/me?tab=uploads&deleted=1')
  useEffect(() => {
    if (fetcher.data?.deleted) navigate(home)
  }, [fetcher.data, home, navigate])
  if (!asking)
    return (
      <p>
        <button
          type="button"
          className="link-button small danger"
          data-testid="delete-draft"
          onClick={() => setAsking(true)}
        >
          {t('check.delete')}
        </button>
      </p>
    )
  return (
    <fetcher.Form method="post" action={action} className="alert alert-error" data-testid="delete-confirm">
      <CsrfInput />
      <input type="hidden" name="intent" value="delete" />
      <p>{t('check.deleteConfirm')}</p>
      <button type="submit" className="button small danger" data-testid="delete-confirmed">
        {t('check.deleteYes')}
      </button>{' '}
      <button type="button" className="link-button small" onClick={() => setAsking(false)}>
        {t('check.cancel')}
      </button>
      {fetcher.data?.error && (
        <span className="field-error" role="alert">
          {' '}
          {fetcher.data.error}
        </span>
      )}
    </fetcher.Form>
  )
}
