/**
 * One review's dossier, side by side: the preview (player or pages), the metadata as submitted,
 * the extracted text, automatic flags, what changed since the last version, earlier decisions;
 * and the decision form (scores per criterion, reason codes, per-field comments). For a revision
 * of a published resource (修改审核): the resource as the revision would make it (its new file
 * and subtitles, played over links bound to the reviewer's session) and what it changes against
 * the published version.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useRef } from 'react'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { VideoPlayer } from '~/components/media/video-player.tsx'
import { AudioPlayer, DocumentViewer, ImageViewer } from '~/components/media/viewers.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { platformLinks, requirePlatformPermission } from '~/lib/platform.server.ts'
import { requestMeta } from '~/lib/session.server.ts'
import { getResourceView } from '~/services/resources/resource-view.server.ts'
import { getReviewDossier } from '~/services/review/queue.server.ts'
import { revisionPreview } from '~/services/review/revision-preview.server.ts'
import { REASON_CODES, REVIEW_FIELDS } from '~/services/review/rules.server.ts'
import { decideReview } from '~/services/review/workflow.server.ts'
import { decisionReceipt, nextReviewFor } from '~/services/review/my-decisions.server.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { formatDate } from '~/lib/dates.ts'
import { formatBytes, formatDuration } from '~/components/media/format.ts'
import { currentVideoTime, formatTimecode, TimecodedText } from '~/components/media/timecodes.tsx'
import { ChangeList } from '~/components/review/change-value.tsx'
import { DecisionReceipt } from '~/components/review/decision-receipt.tsx'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'review.queue')
  const dossier = await getReviewDossier(actor, params.reviewId ?? '', getLocale(request)).catch(throwAsResponse)
  // Arriving from a decision: what was just decided, said once above the next item.
  const done = new URL(request.url).searchParams.get('done')
  const receipt = done ? await decisionReceipt(actor, platform, done) : null
  if (dossier.review.platform.id !== platform.id) throw new Response('error.notFound.body', { status: 404 })
  const view = await getResourceView(actor, dossier.resource.id, platform).catch(throwAsResponse)
  const revision = dossier.revision
  return {
    dossier,
    player: revision ? await revisionPreview(actor, dossier.resource.id, revision.id) : view.player,
    positions: revision ? revision.positions : view.resource.positions,
    knowledgePoints: revision ? revision.knowledgePoints : view.resource.knowledgePoints,
    reasons: [...REASON_CODES],
    fields: [...REVIEW_FIELDS],
    receipt,
    base: platformLinks(context, platform).base,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { platform, actor } = await requirePlatformPermission(request, context, params.slug, 'review.queue')
  return runAction(async () => {
    const form = await readForm(request, context)
    const scores: Record<string, string> = {}
    const fieldComments: Record<string, string> = {}
    for (const [k, v] of form.entries()) {
      if (typeof v !== 'string') continue
      if (k.startsWith('score.')) scores[k.slice(6, 40)] = v.slice(0, 2)
      if (k.startsWith('field.')) fieldComments[k.slice(6, 40)] = v.slice(0, 600)
    }
    await decideReview(
      actor,
      params.reviewId ?? '',
      {
        outcome: formString(form, 'outcome', 30),
        scores,
        reasons: form.getAll('reasons').slice(0, 20) as string[],
        fieldComments,
        comment: formString(form, 'comment', 3000),
      },
      requestMeta(context),
    )
    // Straight on to the next item, with a receipt for this one; back to 已审核 when none is left.
    const reviewId = params.reviewId ?? ''
    const next = await nextReviewFor(actor, platform, reviewId)
    const links = platformLinks(context, platform)
    return redirect(
      next ? links.href(`/review/${next}?done=${reviewId}`) : links.href(`/review?tab=done&done=${reviewId}`),
    )
  })
}

export default function ReviewDossier() {
  const t = useT()
  const { dossier, player, positions, knowledgePoints, reasons, fields, receipt, base } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { review, resource, version, changes, text, flags, history, media } = dossier
  const m = (version?.metadata ?? {}) as Record<string, unknown>
  const comment = useRef<HTMLTextAreaElement>(null)
  const isVideo = player?.kind === 'VIDEO'
  // A resubmission: the same resource came back after a decision on an earlier submission.
  const resubmission = review.kind === 'SUBMISSION' && history.some((h) => h.kind === 'SUBMISSION')
  const insert = (text: string) => {
    const el = comment.current
    if (!el) return
    const at = el.selectionStart ?? el.value.length
    const before = el.value.slice(0, at)
    const glue = before && !/\s$/.test(before) ? ' ' : ''
    el.value = `${before}${glue}${text}${el.value.slice(at)}`
    el.focus()
    el.selectionStart = el.selectionEnd = at + glue.length + text.length
  }
  return (
    <section className="review-dossier">
      {receipt && <DecisionReceipt receipt={receipt} next />}
      <p>
        <Link to={`${base}/review`}>← {t('review.title')}</Link>
      </p>
      <h1>{t('review.detail.title', { title: resource.title })}</h1>
      <p className="muted">
        <span className="badge badge-outline" data-testid="review-kind">
          {t(`review.queue.kind.${review.kind}`)}
        </span>{' '}
        {resubmission && (
          <span className="badge badge-warn" data-testid="resubmission">
            {t('reviewer.resubmission')}
          </span>
        )}{' '}
        {resource.platform.name} · v{version?.number ?? 1}
      </p>
      {media && <MediaFacts media={media} />}
      {dossier.revision && (
        <p className="alert" data-testid="revision-hint">
          {t('review.detail.revisionHint')}
        </p>
      )}
      <div className="grid-2">
        <div>
          {player?.kind === 'VIDEO' && <VideoPlayer source={player} />}
          {player?.kind === 'AUDIO' && <AudioPlayer src={player.src} waveform={player.waveform} />}
          {player?.kind === 'DOCUMENT' && (
            <DocumentViewer pages={player.pages} total={player.total} title={resource.title} />
          )}
          {player?.kind === 'IMAGE' && <ImageViewer sizes={player.sizes} title={resource.title} />}
          {!player && <p className="muted">{t('resource.noPreview')}</p>}
          {dossier.revision && dossier.revision.files.length > 0 && (
            <ul className="small" data-testid="revision-files">
              {dossier.revision.files.map((f) => (
                <li key={f.id} data-status={f.status}>
                  {t(`review.revision.fileRole.${f.role === 'SUBTITLE' ? 'SUBTITLE' : 'REPLACEMENT'}`)}:{' '}
                  {t('review.detail.pendingFile', { name: f.name })} · {t(`file.status.${f.status}` as MessageKey)}
                </li>
              ))}
            </ul>
          )}
          {dossier.revision?.subtitleText && (
            <section className="card">
              <h2>{t('review.detail.pendingSubtitles')}</h2>
              <pre className="extracted-text" data-testid="pending-subtitles">
                {dossier.revision.subtitleText}
              </pre>
            </section>
          )}
          {/* Extracted text is a document's; a video or a picture has none to read. */}
          {(media?.kind === 'DOCUMENT' || (!media && text)) && (
            <section className="card" data-testid="text-panel">
              <h2>{t('review.detail.text')}</h2>
              {text ? (
                <pre className="extracted-text" data-testid="extracted-text">
                  {text}
                </pre>
              ) : (
                <p className="muted">{t('review.detail.noText')}</p>
              )}
            </section>
          )}
        </div>
        <div className="stack">
          <section className="card" data-testid="dossier-metadata">
            <h2>{t('review.detail.metadata')}</h2>
            <dl className="kv">
              <dt>{t('review.field.title')}</dt>
              <dd>{String(m.title ?? resource.title)}</dd>
              <dt>{t('review.field.description')}</dt>
              <dd>{String(m.description ?? '')}</dd>
              <dt>{t('upload.meta.type')}</dt>
              <dd>{m.resourceType ? t(`resourceType.${m.resourceType as 'COURSEWARE'}`) : ''}</dd>
              <dt>{t('review.field.curriculum')}</dt>
              <dd>{positions.map((p) => p.trail.map((n) => n.name).join(' › ')).join('；')}</dd>
              <dt>{t('review.field.knowledgePoints')}</dt>
              <dd>{knowledgePoints.map((k) => k.name).join('、')}</dd>
              <dt>{t('review.field.keywords')}</dt>
              <dd>{((m.keywords as string[] | undefined) ?? []).join('、')}</dd>
              <dt>{t('review.field.licence')}</dt>
              <dd>{m.licence ? t(`licence.${m.licence as 'CC-BY'}`) : ''}</dd>
            </dl>
          </section>
          <section className="card" data-testid="dossier-flags">
            <h2>{t('review.detail.flags')}</h2>
            {flags.length ? (
              <ul>
                {flags.map((f) => (
                  <li key={f.key}>{t(f.key as MessageKey, f.params)}</li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t('review.detail.noFlags')}</p>
            )}
          </section>
          <section className="card" data-testid="dossier-changes">
            <h2>{dossier.revision ? t('review.detail.revisionChanges') : t('review.detail.changes')}</h2>
            {changes === null ? (
              <p className="muted">{t('review.detail.firstVersion')}</p>
            ) : (
              <ChangeList changes={changes} />
            )}
          </section>
          {history.length > 0 && (
            <section className="card">
              <h2>{t('review.detail.history')}</h2>
              <ul>
                {history.map((h) => (
                  <li key={h.id}>
                    {t(`review.queue.kind.${h.kind}`)} · {h.outcome ? t(`review.outcome.${h.outcome}`) : ''} ·{' '}
                    {h.decidedAt ? formatDate(h.decidedAt) : ''} ·{' '}
                    {h.decisions.flatMap((d) => d.reasons.map((r) => t(`review.reason.${r}` as MessageKey))).join('、')}
                    {h.decisions
                      .filter((d) => d.comment)
                      .map((d) => (
                        <p key={d.comment} className="comment-body small">
                          <TimecodedText text={d.comment} video={isVideo} />
                        </p>
                      ))}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </div>
      {dossier.canDecide ? (
        // Keyed by the review: moving on to the next item starts from an empty form, never with
        // the previous item's outcome and scores still ticked.
        <Form key={review.id} method="post" className="card stack" data-testid="decision-form">
          <h2>{t('review.detail.decide')}</h2>
          <CsrfInput />
          <FormMessage result={result} />
          <fieldset className="inline-choices">
            {(['APPROVED', 'CHANGES_REQUESTED', 'REJECTED'] as const).map((o) => (
              <label key={o}>
                <input type="radio" name="outcome" value={o} required /> {t(`review.outcome.${o}`)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('review.detail.scores', { pass: review.platform.reviewPassScore })}</legend>
            <div className="rating-form">
              {review.platform.reviewCriteria.map((c) => (
                <label key={c}>
                  {t(`review.criterion.${c}` as MessageKey)}{' '}
                  <select name={`score.${c}`} defaultValue="">
                    <option value="">—</option>
                    {[5, 4, 3, 2, 1].map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('review.detail.reasons')}</legend>
            <div className="kp-list">
              {reasons.map((r) => (
                <label key={r} className="kp">
                  <input type="checkbox" name="reasons" value={r} /> {t(`review.reason.${r}` as MessageKey)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('review.detail.fieldComments')}</legend>
            <div className="meta-form">
              {fields.map((f) => (
                <label key={f}>
                  {t(`review.field.${f}` as MessageKey)}
                  <input name={`field.${f}`} maxLength={500} />
                </label>
              ))}
            </div>
          </fieldset>
          <label className="field" htmlFor="decision-comment">
            {t('review.detail.comment')}
          </label>
          {(review.platform.reviewCommentTemplates.length > 0 || isVideo) && (
            <div className="template-bar" data-testid="comment-tools">
              {review.platform.reviewCommentTemplates.length > 0 && (
                <span className="muted small">{t('templates.insert')}:</span>
              )}
              {review.platform.reviewCommentTemplates.map((x) => (
                <button key={x} type="button" className="chip" data-testid="comment-template" onClick={() => insert(x)}>
                  {x}
                </button>
              ))}
              {isVideo && (
                <button
                  type="button"
                  className="chip"
                  data-testid="insert-timecode"
                  onClick={() => insert(formatTimecode(currentVideoTime() ?? 0))}
                >
                  ⏱ {t('timecode.insert')}
                </button>
              )}
            </div>
          )}
          <textarea id="decision-comment" ref={comment} name="comment" rows={4} maxLength={2000} />
          <div>
            <button type="submit" className="button" data-testid="submit-decision">
              {t('review.detail.submitDecision')}
            </button>
          </div>
        </Form>
      ) : (
        review.status === 'DECIDED' && <p className="alert">{t(`review.outcome.${review.outcome ?? 'APPROVED'}`)}</p>
      )}
    </section>
  )
}

type Media = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['dossier']['media']>

/** What the reviewer checks before opening the file: length, size on screen, rate, pages. */
function MediaFacts({ media }: { media: Media }) {
  const t = useT()
  const facts: [string, string][] = []
  if (media.durationSec) facts.push([t('reviewer.media.duration'), formatDuration(media.durationSec)])
  if (media.width && media.height) facts.push([t('reviewer.media.resolution'), `${media.width}×${media.height}`])
  if (media.kbps) facts.push([t('reviewer.media.bitrate'), t('reviewer.media.kbps', { n: media.kbps })])
  if (media.pages) facts.push([t('reviewer.media.pages'), t('reviewer.media.pageCount', { n: media.pages })])
  facts.push([t('reviewer.media.size'), formatBytes(media.size)])
  return (
    <dl className="facts" data-testid="media-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  )
}
