/**
 * 审核: the reviewers' queue of this platform (new submissions, changes to published resources
 * (修改审核) and recommendations from below), filterable by subject and type, oldest first; the
 * moderators' reported comments; and 已审核 (?tab=done), the reviewer's own past decisions.
 */
import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { usePlatformLayout } from '~/components/platform.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { RESOURCE_TYPES, SUBJECTS } from '~/lib/curriculum.ts'
import { requestMeta } from '~/lib/session.server.ts'
import { listReportedComments } from '~/services/engagement/comments.server.ts'
import { listQueue, reviewersFor } from '~/services/review/queue.server.ts'
import { decisionReceipt, listMyDecisions } from '~/services/review/my-decisions.server.ts'
import { OUTCOMES, REVIEW_KINDS } from '~/lib/review-codes.ts'
import { DecisionReceipt } from '~/components/review/decision-receipt.tsx'
import { Pager } from '~/components/admin/pager.tsx'
import { formatDateTime } from '~/lib/dates.ts'
import { assignReview, claimReview } from '~/services/review/workflow.server.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { listReportedResources } from '~/services/safety/resource-reports.server.ts'
import { can } from '~/services/authorization.server.ts'
import { findChildPlatforms } from '~/models/platform.server.ts'

/** Reviewers work the queue; the platform's admins see it too, to assign reviews. */
async function requireQueueAccess(request: Request, context: AppLoadContext, slug: string | undefined) {
  const platform = await requirePlatform(context, slug)
  const actor = await requireActor(request, context, platform.slug)
  if (!can(actor, 'platform.moderate', platform)) throw new Response('error.forbidden.body', { status: 403 })
  return {
    platform,
    actor,
    reviewer: can(actor, 'review.queue', platform),
    admin: can(actor, 'platform.admin', platform),
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor, reviewer, admin } = await requireQueueAccess(request, context, params.slug)
  const url = new URL(request.url)
  const filters = {
    subject: url.searchParams.get('subject'),
    type: url.searchParams.get('type'),
    from: url.searchParams.get('from'),
    olderThanDays: url.searchParams.get('older'),
  }
  const tab = url.searchParams.get('tab') === 'done' && reviewer ? 'done' : 'queue'
  if (tab === 'done') {
    const done = url.searchParams.get('done')
    const [decisions, receipt] = await Promise.all([
      listMyDecisions(actor, platform, {
        outcome: url.searchParams.get('outcome'),
        kind: url.searchParams.get('kind'),
        days: url.searchParams.get('days'),
        q: url.searchParams.get('q'),
        page: url.searchParams.get('page'),
      }),
      done ? decisionReceipt(actor, platform, done) : null,
    ]).catch(throwAsResponse)
    return { tab, decisions, receipt, reviewer, ...EMPTY_QUEUE }
  }
  const [queue, reported, reportedResources, reviewers] = await Promise.all([
    listQueue(actor, platform, filters),
    listReportedComments(actor, platform),
    listReportedResources(actor, platform),
    admin ? reviewersFor(platform.id) : Promise.resolve([]),
  ]).catch(throwAsResponse)
  // Where items can come from: this platform and the platforms directly below it.
  const sources = [
    { id: platform.id, name: platform.name },
    ...(await findChildPlatforms(platform.id)).map((c) => ({ id: c.id, name: c.name })),
  ]
  return {
    tab,
    decisions: null,
    receipt: null,
    queue,
    reported,
    reportedResources,
    filters,
    sources,
    reviewer,
    reviewers,
    canTakedown: can(actor, 'resource.takedown', platform),
  }
}

/** What the 已审核 tab does not show. */
const EMPTY_QUEUE = {
  queue: [] as Awaited<ReturnType<typeof listQueue>>,
  reported: [] as Awaited<ReturnType<typeof listReportedComments>>,
  reportedResources: [] as Awaited<ReturnType<typeof listReportedResources>>,
  filters: { subject: null, type: null, from: null, olderThanDays: null } as Record<string, string | null>,
  sources: [] as { id: string; name: string }[],
  reviewers: [] as Awaited<ReturnType<typeof reviewersFor>>,
  canTakedown: false,
}

/** Claim (a reviewer takes the item and goes to its dossier), or assign (an admin hands it on). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { platform, actor } = await requireQueueAccess(request, context, params.slug)
  return runAction(async () => {
    const form = await readForm(request, context)
    const reviewId = formString(form, 'reviewId', 60)
    if (form.get('intent') === 'assign') {
      await assignReview(actor, reviewId, formString(form, 'reviewerId', 60), requestMeta(context))
      return { ok: true as const, message: 'review.assigned' as const }
    }
    await claimReview(actor, reviewId, requestMeta(context))
    return redirect(platformLinks(context, platform).href(`/review/${reviewId}`))
  })
}

type Reported = Awaited<ReturnType<typeof loader>>['reported'][number]

function age(t: ReturnType<typeof useT>, minutes: number) {
  if (minutes < 60) return t('review.age.minutes', { n: minutes })
  if (minutes < 48 * 60) return t('review.age.hours', { n: Math.floor(minutes / 60) })
  return t('review.age.days', { n: Math.floor(minutes / 1440) })
}

function ReportedComment({ c, base }: { c: Reported; base: string }) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  const action = `${base}/api/resources/${c.resource.id}`
  if (fetcher.data?.ok) return null
  return (
    <li className="card" data-testid="reported-comment">
      <p className="muted small">
        <Link to={`${base}/r/${c.resource.id}`}>{c.resource.title}</Link> · {c.authorName} ·{' '}
        {c.held
          ? t('safety.heldComment', { words: c.flaggedWords.join('、') })
          : `${t('engagement.reports', { n: c.reportCount })} · ${c.reasons.map((r) => t(`engagement.reason.${r}` as MessageKey)).join('、')}`}
      </p>
      <p className="comment-body">{c.body}</p>
      <fetcher.Form method="post" action={action} className="rating-form">
        <CsrfInput />
        <input type="hidden" name="commentId" value={c.id} />
        <input type="hidden" name="reason" value={c.reasons[0] ?? 'OTHER'} />
        <button type="submit" name="intent" value="hide-comment" className="button small">
          {t('engagement.hide')}
        </button>
        <button type="submit" name="intent" value="keep-comment" className="link-button small">
          {t('review.keepComment')}
        </button>
      </fetcher.Form>
      {fetcher.data?.error && <p className="field-error">{fetcher.data.error}</p>}
    </li>
  )
}

type ReportedResource = Awaited<ReturnType<typeof loader>>['reportedResources'][number]

function ReportedResourceItem({ r, base, canTakedown }: { r: ReportedResource; base: string; canTakedown: boolean }) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  if (fetcher.data?.ok) return null
  return (
    <li className="card" data-testid="reported-resource">
      <p>
        <Link to={`${base}/r/${r.id}`}>{r.title}</Link>{' '}
        <span className="muted small">
          · {t('engagement.reports', { n: r.count })} ·{' '}
          {r.reasons.map((x) => t(`engagement.reason.${x}` as MessageKey)).join('、')}
        </span>
      </p>
      {r.details.map((d) => (
        <p key={d} className="comment-body small">
          {d}
        </p>
      ))}
      <fetcher.Form method="post" action={`${base}/api/resources/${r.id}`} className="rating-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="handle-reports" />
        <input type="hidden" name="reason" value="COMPLAINT" />
        {canTakedown && (
          <button type="submit" name="decision" value="TAKEDOWN" className="button small">
            {t('safety.takedown')}
          </button>
        )}
        <button type="submit" name="decision" value="KEEP" className="link-button small">
          {t('safety.keep')}
        </button>
      </fetcher.Form>
      {fetcher.data?.error && <p className="field-error">{fetcher.data.error}</p>}
    </li>
  )
}

export default function Review() {
  const t = useT()
  const { platform, base } = usePlatformLayout()
  const data = useLoaderData<typeof loader>()
  const { queue, reported, reportedResources, filters, sources, reviewer, reviewers, canTakedown } = data
  const result = useActionData<typeof action>()
  return (
    <section>
      <h1>{t('review.title')}</h1>
      {reviewer && (
        <nav className="tabs" aria-label={t('review.title')}>
          <Link to={`${base}/review`} aria-current={data.tab === 'queue' ? 'page' : undefined} data-testid="tab-queue">
            {t('reviewer.tab.queue')}
          </Link>
          <Link
            to={`${base}/review?tab=done`}
            aria-current={data.tab === 'done' ? 'page' : undefined}
            data-testid="tab-done"
          >
            {t('reviewer.tab.done')}
          </Link>
        </nav>
      )}
      {data.receipt && <DecisionReceipt receipt={data.receipt} next={false} />}
      {data.tab === 'done' && data.decisions ? (
        <MyDecisions list={data.decisions} base={base} />
      ) : (
        <>
          <FormMessage result={result} />
          <p className="muted">{t('review.levelHint', { name: platform.name })}</p>
          <Form method="get" className="rating-form" aria-label={t('review.queue.filter')}>
            <select name="subject" defaultValue={filters.subject ?? ''} aria-label={t('search.facet.subject')}>
              <option value="">{t('review.queue.anySubject')}</option>
              {SUBJECTS.map((s) => (
                <option key={s} value={s}>
                  {t(`subject.${s}`)}
                </option>
              ))}
            </select>
            <select name="type" defaultValue={filters.type ?? ''} aria-label={t('search.facet.type')}>
              <option value="">{t('review.queue.anyType')}</option>
              {RESOURCE_TYPES.map((s) => (
                <option key={s} value={s}>
                  {t(`resourceType.${s}`)}
                </option>
              ))}
            </select>
            <select name="from" defaultValue={filters.from ?? ''} aria-label={t('search.facet.platform')}>
              <option value="">{t('review.queue.anyPlatform')}</option>
              {sources.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <select name="older" defaultValue={filters.olderThanDays ?? ''} aria-label={t('review.queue.age')}>
              <option value="">{t('review.queue.anyAge')}</option>
              {['1', '3', '7', '30'].map((d) => (
                <option key={d} value={d}>
                  {t('review.queue.olderThan', { n: d })}
                </option>
              ))}
            </select>
            <button type="submit" className="button small">
              {t('review.queue.filter')}
            </button>
          </Form>
          <h2>{t('review.queue.title', { n: queue.length })}</h2>
          {queue.length === 0 ? (
            <div className="empty">
              <p>{t('review.queue.empty')}</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table-cards" data-testid="review-queue">
                <thead>
                  <tr>
                    <th>{t('reviewer.col.kind')}</th>
                    <th>{t('reviewer.col.resource')}</th>
                    <th>{t('reviewer.col.waiting')}</th>
                    <th>{t('reviewer.col.claimedBy')}</th>
                    <th>{t('reviewer.col.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.map((q) => (
                    <tr key={q.id} data-testid="queue-item" data-kind={q.kind}>
                      <td data-label={t('reviewer.col.kind')}>
                        <span className="badge badge-outline">{t(`review.queue.kind.${q.kind}`)}</span>
                        {q.round > 1 && (
                          <>
                            {' '}
                            <span className="badge badge-warn" data-testid="resubmission">
                              {t('reviewer.resubmission')} · {t('reviewer.resubmissionRound', { n: q.round })}
                            </span>
                          </>
                        )}
                      </td>
                      <td className="cell-title" data-label={t('reviewer.col.resource')}>
                        {/* Reviewers open the dossier; admins who only assign open the resource. */}
                        <Link
                          to={reviewer ? `${base}/review/${q.id}` : `${base}/r/${q.resource.id}`}
                          data-testid="queue-title"
                        >
                          {q.resource.title}
                        </Link>
                        {q.revisionTitle && (
                          <p className="small" data-testid="revision-title">
                            {t('review.queue.revisionTitle', { title: q.revisionTitle })}
                          </p>
                        )}
                        <p className="muted small">
                          {t(`resourceType.${q.resource.type as 'COURSEWARE'}`)} · {q.resource.ownerName}
                          {q.kind === 'RECOMMENDATION' && (
                            <> · {t('review.queue.from', { platform: q.resource.platformName })}</>
                          )}
                        </p>
                      </td>
                      <td className="small" data-label={t('reviewer.col.waiting')}>
                        {t('review.queue.waiting', { age: age(t, q.ageMinutes) })}
                      </td>
                      <td className="small" data-label={t('reviewer.col.claimedBy')}>
                        {q.claimedBy.length > 0 && t('review.queue.claimedBy', { names: q.claimedBy.join('、') })}
                      </td>
                      <td className="cell-action" data-label={t('reviewer.col.actions')}>
                        {reviewers.length > 0 && (
                          <Form method="post" className="rating-form small">
                            <CsrfInput />
                            <input type="hidden" name="intent" value="assign" />
                            <input type="hidden" name="reviewId" value={q.id} />
                            <select name="reviewerId" aria-label={t('review.assign')}>
                              {reviewers.map((r) => (
                                <option key={r.id} value={r.id}>
                                  {r.displayName}
                                </option>
                              ))}
                            </select>
                            <button type="submit" className="link-button small" data-testid="assign">
                              {t('review.assignSubmit')}
                            </button>
                          </Form>
                        )}
                        {!reviewer ? null : q.own ? null : q.mine ? (
                          <Link to={`${base}/review/${q.id}`} className="button small">
                            {t('review.queue.open')}
                          </Link>
                        ) : (
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="reviewId" value={q.id} />
                            <button type="submit" className="button small" data-testid="claim">
                              {t('review.queue.claim')}
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{t('safety.reportedResources', { n: reportedResources.length })}</h2>
          {reportedResources.length === 0 ? (
            <p className="muted">{t('review.noReports')}</p>
          ) : (
            <ul className="comments">
              {reportedResources.map((r) => (
                <ReportedResourceItem key={r.id} r={r} base={base} canTakedown={canTakedown} />
              ))}
            </ul>
          )}
          <h2>{t('review.reportedComments', { n: reported.length })}</h2>
          {reported.length === 0 ? (
            <p className="muted">{t('review.noReports')}</p>
          ) : (
            <ul className="comments">
              {reported.map((c) => (
                <ReportedComment key={c.id} c={c} base={base} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}

type Decisions = NonNullable<Awaited<ReturnType<typeof loader>>['decisions']>

/** 已审核: my decisions on this platform, filterable, newest first; titles open the dossier. */
function MyDecisions({ list, base }: { list: Decisions; base: string }) {
  const t = useT()
  const f = list.filters
  return (
    <>
      <Form method="get" className="rating-form" aria-label={t('reviewer.done.filter')} data-testid="done-filters">
        <input type="hidden" name="tab" value="done" />
        <select name="outcome" defaultValue={f.outcome} aria-label={t('reviewer.col.outcome')}>
          <option value="">{t('reviewer.done.anyOutcome')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`review.outcome.${o}`)}
            </option>
          ))}
        </select>
        <select name="kind" defaultValue={f.kind} aria-label={t('reviewer.col.kind')}>
          <option value="">{t('reviewer.done.anyKind')}</option>
          {REVIEW_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`review.queue.kind.${k}`)}
            </option>
          ))}
        </select>
        <select name="days" defaultValue={f.days} aria-label={t('reviewer.col.decidedAt')}>
          <option value="">{t('reviewer.done.anyTime')}</option>
          {['7', '30'].map((d) => (
            <option key={d} value={d}>
              {t('reviewer.done.lastDays', { n: d })}
            </option>
          ))}
        </select>
        <input
          name="q"
          type="search"
          defaultValue={f.q}
          placeholder={t('reviewer.done.search')}
          aria-label={t('reviewer.done.search')}
          maxLength={60}
        />
        <button type="submit" className="button small">
          {t('reviewer.done.filter')}
        </button>
      </Form>
      <p className="muted small">{t('reviewer.done.count', { n: list.total })}</p>
      {list.items.length === 0 ? (
        <p className="empty">{t('reviewer.done.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table-cards" data-testid="my-decisions">
            <thead>
              <tr>
                <th>{t('reviewer.col.resource')}</th>
                <th>{t('reviewer.col.kind')}</th>
                <th>{t('reviewer.col.outcome')}</th>
                <th>{t('reviewer.col.reasons')}</th>
                <th>{t('reviewer.col.decidedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.reviewId} data-testid="my-decision" data-outcome={d.outcome}>
                  <td className="cell-title" data-label={t('reviewer.col.resource')}>
                    <Link to={`${base}/review/${d.reviewId}`}>{d.title}</Link>
                    <p className="muted small">
                      {t(`resourceType.${d.type as 'COURSEWARE'}`)} · {d.ownerName}
                    </p>
                  </td>
                  <td data-label={t('reviewer.col.kind')}>{t(`review.queue.kind.${d.kind}`)}</td>
                  <td data-label={t('reviewer.col.outcome')}>
                    <span className={`badge outcome-${d.outcome.toLowerCase()}`}>
                      {t(`review.outcome.${d.outcome}`)}
                    </span>
                    {!d.settled && <p className="muted small">{t('reviewer.done.waiting')}</p>}
                  </td>
                  <td data-label={t('reviewer.col.reasons')} className="small">
                    {d.reasons.map((r) => t(`review.reason.${r}` as MessageKey)).join('、') || '—'}
                  </td>
                  <td data-label={t('reviewer.col.decidedAt')} className="small cell-time">
                    {formatDateTime(d.decidedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pages={list.pages} drop={['done']} />
    </>
  )
}
