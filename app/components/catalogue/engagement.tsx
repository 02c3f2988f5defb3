/** Rating, collecting and comments on the resource page. Each posts to the resource API with
 * the CSRF token; Remix reloads the page's data after every action, so what they change shows. */
import { Link, useFetcher } from '@remix-run/react'
import { formatDateTime } from '~/lib/dates.ts'
import { TimecodedText } from '../media/timecodes.tsx'
import { useEffect, useRef, useState } from 'react'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'
import { REPORT_REASONS as REASONS, RESOURCE_REPORT_REASONS as RESOURCE_REASONS } from '~/lib/review-codes.ts'
import { CsrfInput } from '../form.tsx'

type Reply = { ok: boolean; error?: string }

function ErrorLine({ data }: { data?: Reply }) {
  return data && !data.ok && data.error ? (
    <p className="alert alert-error" role="alert">
      {data.error}
    </p>
  ) : null
}

type Common = { action: string; signedIn: boolean; loginHref: string }

export function RatingBox({
  action,
  signedIn,
  loginHref,
  summary,
}: Common & { summary: { avg: number; count: number; histogram: number[]; mine: number | null } }) {
  const t = useT()
  const fetcher = useFetcher<Reply>()
  const [hover, setHover] = useState(0)
  const shown = hover || summary.mine || 0
  return (
    <section className="card" data-testid="rating">
      <h2>{t('engagement.rating')}</h2>
      <p data-testid="rating-summary">
        {summary.count
          ? t('engagement.ratingSummary', { avg: summary.avg.toFixed(1), n: summary.count })
          : t('engagement.noRatings')}
      </p>
      {summary.count > 0 && (
        <div className="histogram">
          {[5, 4, 3, 2, 1].map((s) => (
            <span key={s} style={{ display: 'contents' }}>
              <span>{t('engagement.stars', { n: s })}</span>
              <meter min={0} max={summary.count} value={summary.histogram[s - 1]} />
              <span>{summary.histogram[s - 1]}</span>
            </span>
          ))}
        </div>
      )}
      {signedIn ? (
        <fetcher.Form method="post" action={action} className="rating-form" onMouseLeave={() => setHover(0)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="rate" />
          <span>{summary.mine ? t('engagement.yourRating', { n: summary.mine }) : t('engagement.rateIt')}</span>
          {[1, 2, 3, 4, 5].map((s) => (
            <button
              key={s}
              type="submit"
              name="score"
              value={s}
              className={`star-button${s <= shown ? ' on' : ''}`}
              onMouseEnter={() => setHover(s)}
              aria-label={t('engagement.rateN', { n: s })}
              aria-pressed={summary.mine === s}
            >
              ★
            </button>
          ))}
        </fetcher.Form>
      ) : (
        <p>
          <Link to={loginHref}>{t('engagement.signInToRate')}</Link>
        </p>
      )}
      <ErrorLine data={fetcher.data} />
    </section>
  )
}

export function CollectBox({
  action,
  signedIn,
  loginHref,
  collections,
  meHref,
}: Common & { collections: { id: string; name: string; holds: boolean }[]; meHref: string }) {
  const t = useT()
  const fetcher = useFetcher<Reply>()
  const form = useRef<HTMLFormElement>(null)
  // After a successful add, clear the new-collection name so a second click does not repeat it.
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) form.current?.reset()
  }, [fetcher.state, fetcher.data])
  const holding = collections.filter((c) => c.holds)
  if (!signedIn)
    return (
      <section className="card">
        <h2>{t('engagement.collect')}</h2>
        <p>
          <Link to={loginHref}>{t('engagement.signInToCollect')}</Link>
        </p>
      </section>
    )
  return (
    <section className="card" data-testid="collect">
      <h2>{t('engagement.collect')}</h2>
      {holding.length > 0 && (
        <p className="ok" data-testid="collected-in">
          {t('engagement.collectedIn', { names: holding.map((c) => c.name).join('、') })}{' '}
          <Link to={meHref}>{t('engagement.seeInMySpace')}</Link>
        </p>
      )}
      <fetcher.Form ref={form} method="post" action={action} className="rating-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="collect" />
        {collections.length > 0 && (
          <label>
            {t('engagement.collection')}{' '}
            <select name="collectionId" defaultValue={collections[0]!.id}>
              {collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {collections.length ? t('engagement.orNew') : t('engagement.newCollection')}{' '}
          <input
            name="newCollection"
            maxLength={30}
            placeholder={t('engagement.newCollectionPlaceholder')}
            defaultValue={collections.length ? '' : t('engagement.defaultCollection')}
            key={collections.length}
          />
        </label>
        <button type="submit" className="button small">
          {t('engagement.addToCollection')}
        </button>
      </fetcher.Form>
      <ErrorLine data={fetcher.data} />
    </section>
  )
}

type CommentRow = {
  id: string
  body: string
  status: string
  createdAt: string
  authorName: string
  mine: boolean
  reportCount: number
  pending?: boolean
}

function CommentItem({
  c,
  action,
  signedIn,
  moderator,
  video,
}: {
  c: CommentRow
  action: string
  signedIn: boolean
  moderator: boolean
  video: boolean
}) {
  const t = useT()
  const fetcher = useFetcher<Reply>()
  const [reporting, setReporting] = useState(false)
  return (
    <li
      className={`comment${c.status === 'HIDDEN' ? ' comment-hidden' : ''}`}
      data-testid="comment"
      data-status={c.status}
    >
      <p className="muted small">
        {c.authorName} · {formatDateTime(c.createdAt)}
        {c.status === 'HIDDEN' && <> · {t('engagement.hidden')}</>}
        {moderator && c.reportCount > 0 && (
          <>
            {' '}
            · <span className="badge">{t('engagement.reports', { n: c.reportCount })}</span>
          </>
        )}
      </p>
      <p className="comment-body">
        <TimecodedText text={c.body} video={video} />
      </p>
      {c.pending && (
        <p className="muted small" data-testid="comment-pending">
          {t('safety.pendingComment')}
        </p>
      )}
      {signedIn && !c.mine && c.status === 'VISIBLE' && !reporting && (
        <button type="button" className="link-button small muted" onClick={() => setReporting(true)}>
          {t('engagement.report')}
        </button>
      )}
      {reporting && (
        <fetcher.Form method="post" action={action} className="rating-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="report-comment" />
          <input type="hidden" name="commentId" value={c.id} />
          <select name="reason" aria-label={t('engagement.reportReason')}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`engagement.reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
          <button type="submit" className="button small">
            {t('engagement.sendReport')}
          </button>
        </fetcher.Form>
      )}
      {fetcher.data?.ok && reporting && <p className="ok small">{t('engagement.reported')}</p>}
      {moderator && c.status === 'VISIBLE' && (
        <fetcher.Form method="post" action={action} className="inline">
          <CsrfInput />
          <input type="hidden" name="intent" value="hide-comment" />
          <input type="hidden" name="commentId" value={c.id} />
          <input type="hidden" name="reason" value="OTHER" />
          <button type="submit" className="link-button small">
            {t('engagement.hide')}
          </button>
        </fetcher.Form>
      )}
      <ErrorLine data={fetcher.data} />
    </li>
  )
}

export function Comments({
  action,
  signedIn,
  loginHref,
  comments,
  moderator,
  video = false,
}: Common & { comments: CommentRow[]; moderator: boolean; /** Time codes jump the page's player. */ video?: boolean }) {
  const t = useT()
  const fetcher = useFetcher<Reply>()
  const [body, setBody] = useState('')
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) setBody('')
  }, [fetcher.state, fetcher.data])
  return (
    <section className="card" data-testid="comments">
      <h2>{t('engagement.comments', { n: comments.filter((c) => c.status === 'VISIBLE').length })}</h2>
      {signedIn ? (
        <fetcher.Form method="post" action={action} className="comment-form stack">
          <CsrfInput />
          <input type="hidden" name="intent" value="comment" />
          <textarea
            name="body"
            rows={3}
            maxLength={1000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            placeholder={t('engagement.commentPlaceholder')}
            aria-label={t('engagement.commentLabel')}
          />
          <div>
            <button type="submit" className="button small" disabled={fetcher.state !== 'idle'}>
              {t('engagement.postComment')}
            </button>{' '}
            <span className="muted small">{t('engagement.commentRules')}</span>
          </div>
        </fetcher.Form>
      ) : (
        <p>
          <Link to={loginHref}>{t('engagement.signInToComment')}</Link>
        </p>
      )}
      <ErrorLine data={fetcher.data} />
      {comments.length === 0 ? (
        <p className="muted">{t('engagement.noComments')}</p>
      ) : (
        <ul className="comments">
          {comments.map((c) => (
            <CommentItem key={c.id} c={c} action={action} signedIn={signedIn} moderator={moderator} video={video} />
          ))}
        </ul>
      )}
    </section>
  )
}

/** 举报这个资源: a reason and an optional detail, for signed-in visitors. */
export function ReportResource({ action }: { action: string }) {
  const t = useT()
  const fetcher = useFetcher<Reply>()
  if (fetcher.data?.ok)
    return (
      <p className="ok small" data-testid="resource-reported">
        {t('safety.reported')}
      </p>
    )
  return (
    <details className="small" data-testid="report-resource">
      <summary>{t('safety.report')}</summary>
      <fetcher.Form method="post" action={action} className="rating-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="report-resource" />
        <select name="reason" aria-label={t('engagement.reportReason')}>
          {RESOURCE_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`engagement.reason.${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <input
          name="detail"
          maxLength={500}
          placeholder={t('safety.reportDetail')}
          aria-label={t('safety.reportDetail')}
        />
        <button type="submit" className="button small">
          {t('engagement.sendReport')}
        </button>
      </fetcher.Form>
      <ErrorLine data={fetcher.data} />
    </details>
  )
}
