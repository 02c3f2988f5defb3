/**
 * 审核: the reviewers' queue of this platform (new submissions, changes to published resources
 * (修改审核) and recommendations from below),
 * filterable by subject and type, oldest first; and the moderators' reported comments.
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
  const { queue, reported, reportedResources, filters, sources, reviewer, reviewers, canTakedown } =
    useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <section>
      <h1>{t('review.title')}</h1>
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
          <table data-testid="review-queue">
            <tbody>
              {queue.map((q) => (
                <tr key={q.id} data-testid="queue-item" data-kind={q.kind}>
                  <td>
                    <span className="badge badge-outline">{t(`review.queue.kind.${q.kind}`)}</span>
                  </td>
                  <td>
                    <Link to={`${base}/r/${q.resource.id}`}>{q.resource.title}</Link>
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
                  <td className="small">{t('review.queue.waiting', { age: age(t, q.ageMinutes) })}</td>
                  <td className="small">
                    {q.claimedBy.length > 0 && t('review.queue.claimedBy', { names: q.claimedBy.join('、') })}
                  </td>
                  <td>
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
    </section>
  )
}
