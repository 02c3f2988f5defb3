/** The review workflow on the resource page: submit (owner), the latest decision with its
 * reasons and per-field comments, takedown and restore (admins), recommend upward (reviewers). */
import { useFetcher } from '@remix-run/react'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'

import { TAKEDOWN_REASONS as TAKEDOWN } from '~/lib/review-codes.ts'
import { CsrfInput } from '../form.tsx'

export type Workflow = {
  status: string
  reviewRequired: boolean
  canSubmit: boolean
  canTakedown: boolean
  canRestore: boolean
  canRecommend: boolean
  recommended: boolean
  takedownReason: string | null
  decision: {
    outcome: string
    decidedAt: string
    reasons: string[]
    comments: string[]
    fieldComments: { field: string; text: string }[]
  } | null
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
        </section>
      )}
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
