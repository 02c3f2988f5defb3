import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '~/components/i18n.tsx'
import { formatBytes } from '~/components/media/format.ts'
import { MetadataForm } from '~/components/media/metadata-form.tsx'
import { Uploader } from '~/components/media/uploader.tsx'
import { VideoPlayer } from '~/components/media/video-player.tsx'
import { PREVIEW_PAGES, PREVIEW_SECONDS } from '~/lib/preview.ts'
import { AudioPlayer, DocumentViewer, ImageViewer } from '~/components/media/viewers.tsx'
import { throwAsResponse } from '~/lib/http.server.ts'
import { isMessageKey } from '~/lib/i18n/index.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { getActor } from '~/lib/session.server.ts'
import { getResourceView } from '~/services/resources/resource-view.server.ts'
import { CollectBox, Comments, RatingBox, ReportResource } from '~/components/catalogue/engagement.tsx'
import { Stars, yuan } from '~/components/catalogue/marked.tsx'
import { ResourceCards } from '~/components/catalogue/resource-cards.tsx'
import { ratingSummary } from '~/services/engagement/ratings.server.ts'
import { listComments } from '~/services/engagement/comments.server.ts'
import { collectionsFor } from '~/services/engagement/collections.server.ts'
import { recordView, visitorKey } from '~/services/engagement/usage.server.ts'
import { relatedResources } from '~/services/search/search-resources.server.ts'
import { resourceWorkflow } from '~/services/review/queue.server.ts'
import { WorkflowPanel } from '~/components/review/workflow-panel.tsx'
import { FeatureForm } from '~/components/review/feature-form.tsx'
import { canCurate, collectionsOf } from '~/services/review/featured.server.ts'
import { pushTargets } from '~/services/review/push.server.ts'
import { PushForm } from '~/components/review/push-form.tsx'
import { can } from '~/services/authorization.server.ts'
import { jsonLdScript, learningResourceJsonLd } from '~/services/catalogue/structured-data.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { CsrfInput } from '~/components/form.tsx'
import { BuyPanel } from '~/components/market/buy-panel.tsx'
import { OfferEditor } from '~/components/market/offer-editor.tsx'
import { marketPanel } from '~/services/market/resource-market.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await getActor(request, context)
  const view = await getResourceView(actor, params.id ?? '', platform).catch(throwAsResponse)
  const id = view.resource.id
  const published = view.resource.status === 'PUBLISHED'
  const [rating, comments, collections, related, , workflow] = await Promise.all([
    published ? ratingSummary(id, actor?.userId ?? null) : null,
    published ? listComments(actor, { id, platform: view.resource.platform }) : null,
    published ? collectionsFor(actor, id) : [],
    // Related resources come from the index: what this portal may show, in the same chapters.
    published
      ? relatedResources(platform, {
          id,
          nodeIds: view.resource.positions.map((p) => p.path[p.path.length - 1]!),
        }).catch(() => [])
      : [],
    published
      ? recordView(
          id,
          visitorKey(actor, { ip: context.ip, userAgent: request.headers.get('user-agent') ?? '' }),
          platform,
        )
      : null,
    resourceWorkflow(actor, id, getLocale(request)),
  ])
  // Reviewers and admins of this portal may select what it shows into its featured collections.
  const featured = published && canCurate(actor, platform) ? await collectionsOf(platform.id, id) : null
  // Premium material: what may be bought, for whom, and why the viewer may already use it.
  const market = await marketPanel(actor, id)
  const pushTo = published && can(actor, 'platform.admin', platform) ? await pushTargets(platform) : null
  const t = translator(getLocale(request))
  const pageUrl = new URL(request.url).href
  const jsonLd = jsonLdScript(
    learningResourceJsonLd(view, {
      resourceType: t(`resourceType.${view.resource.resourceType as 'COURSEWARE'}`),
      pageUrl,
    }),
  )
  const url = new URL(request.url)
  return {
    ...view,
    base: platformLinks(context, platform).base,
    jsonLd,
    pageUrl,
    rating,
    comments,
    collections,
    related,
    workflow,
    featured,
    pushTo,
    market,
    isTeacher: !!actor?.roles.some((g) => g.role === 'TEACHER'),
    signedIn: !!actor,
    loginHref: platformLinks(context, platform).href(`/login?redirectTo=${encodeURIComponent(url.pathname)}`),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.resource.title },
        { name: 'description', content: data.resource.description.slice(0, 160) },
        { property: 'og:title', content: data.resource.title },
        { property: 'og:description', content: data.resource.description.slice(0, 200) },
        { property: 'og:type', content: data.resource.kind === 'VIDEO' ? 'video.other' : 'article' },
        { property: 'og:url', content: data.pageUrl },
        { property: 'og:site_name', content: data.resource.platform.name },
        // Drafts are private pages: keep them out of search engines until they are published.
        ...(data.resource.status !== 'PUBLISHED' ? [{ name: 'robots', content: 'noindex, nofollow' }] : []),
      ]
    : []

const BUSY = new Set(['UPLOADING', 'PROCESSING'])
/** Nothing is added to what a reviewer is looking at, nor to a resource taken down. */
const LOCKED = new Set(['SUBMITTED', 'IN_REVIEW', 'TAKEN_DOWN'])

export default function ResourcePage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { resource, files, player, preview, downloadable, entitled, canManage, base } = data
  const api = `${base}/api/resources/${resource.id}`
  const revalidator = useRevalidator()
  const retry = useFetcher<{ ok: boolean; error?: string }>()
  const busy = files.some((f) => BUSY.has(f.status))

  // Live processing status: refresh while anything is still moving.
  useEffect(() => {
    if (!busy) return
    const id = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 2_000)
    return () => clearInterval(id)
  }, [busy, revalidator])

  const primary = files.find((f) => f.role === 'PRIMARY')
  // A published resource whose platform reviews changes: edits, a replacement and subtitles go
  // into its pending revision (shown in the workflow panel) until it is approved.
  const revision = data.workflow.revision
  const reviewedEdit = resource.status === 'PUBLISHED' && (resource.platformReviewRequired || !!revision?.open)
  // Nothing is added to a revision a reviewer has (the services refuse it too).
  const mayChange = !reviewedEdit || !revision?.open || revision.editable
  return (
    <article className="resource-page">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: data.jsonLd }} />
      <h1 data-testid="resource-title">{resource.title}</h1>
      <p className="muted">
        {resource.kind ? t(`resource.kind.${resource.kind}`) : ''} ·{' '}
        {t(`resourceType.${resource.resourceType as 'COURSEWARE'}`)} · {t(`resource.status.${resource.status}`)} ·{' '}
        {t('resource.owner', { name: resource.ownerName })} · {t(`licence.${resource.licence as 'CC-BY'}`)}
        {resource.keywords.length > 0 && <> · {resource.keywords.join('、')}</>}
      </p>
      {resource.status === 'PUBLISHED' && (
        <p className="muted small" data-testid="resource-stats">
          <Stars rating={resource.ratingAvg} count={resource.ratingCount} label={t('search.ratingLabel')} />{' '}
          {t('resource.views', { n: resource.viewCount })} · {t('search.downloads', { n: resource.downloadCount })} ·{' '}
          {resource.platform.name}
          {resource.licence === 'PREMIUM' && resource.priceCents != null && (
            <>
              {' · '}
              <span className="price">{yuan(resource.priceCents)}</span>
            </>
          )}
        </p>
      )}
      <WorkflowPanel wf={data.workflow} action={api} />
      {data.featured && <FeatureForm action={api} collections={data.featured} />}
      {data.pushTo && <PushForm action={api} targets={data.pushTo} />}
      {resource.positions.length > 0 && (
        <nav className="crumbs" aria-label={t('resource.position')} data-testid="resource-position">
          {t('resource.positionPrefix')}
          {resource.positions.map((p) => (
            <span key={p.path.join('/')}>{p.trail.map((n) => n.name).join(' › ')}</span>
          ))}
          {resource.knowledgePoints.length > 0 && (
            <span className="muted"> · {resource.knowledgePoints.map((k) => k.name).join('、')}</span>
          )}
        </nav>
      )}
      {resource.duplicateOfId && (
        <p className="alert">
          {t('upload.duplicate')} <a href={`${base}/r/${resource.duplicateOfId}`}>{t('upload.duplicateLink')}</a>
        </p>
      )}

      <div className="resource-main">
        {preview && (
          <p className="alert" data-testid="preview-notice">
            {t('resource.previewNotice', { seconds: PREVIEW_SECONDS, pages: PREVIEW_PAGES })}
          </p>
        )}
        {player?.kind === 'VIDEO' && <VideoPlayer source={player} />}
        {player?.kind === 'AUDIO' && <AudioPlayer src={player.src} waveform={player.waveform} />}
        {player?.kind === 'DOCUMENT' && (
          <DocumentViewer pages={player.pages} total={player.total} title={resource.title} />
        )}
        {player?.kind === 'IMAGE' && <ImageViewer sizes={player.sizes} title={resource.title} />}
        {!player && primary && BUSY.has(primary.status) && <p className="alert">{t('resource.notReady')}</p>}
        {!player && entitled && (primary ? primary.status === 'READY' : resource.status === 'PUBLISHED') && (
          <p className="muted" data-testid="no-preview">
            {t('resource.noPreview')}
          </p>
        )}
        {!entitled && (
          <p className="alert" data-testid="premium-locked">
            {t('resource.premiumLocked', { price: yuan(resource.priceCents ?? 0) })}
          </p>
        )}
      </div>

      {data.market && data.market.isSeller && (
        <OfferEditor
          base={base}
          resourceId={resource.id}
          offers={data.market.offers}
          sellerReady={data.market.sellerReady}
        />
      )}
      {data.market && !data.market.isSeller && (
        <BuyPanel
          data={data.market}
          base={base}
          resourceId={resource.id}
          signedIn={data.signedIn}
          loginHref={data.loginHref}
          isTeacher={data.isTeacher}
        />
      )}

      {resource.description && <p className="description">{resource.description}</p>}

      {downloadable && (
        <p>
          <a className="button" href={`${base}/r/${resource.id}/download`} data-testid="download" rel="nofollow">
            {t('resource.download')}
          </a>
        </p>
      )}
      {!data.signedIn && resource.status === 'PUBLISHED' && entitled && (
        <p>
          <a href={data.loginHref}>{t('resource.signInToDownload')}</a>
        </p>
      )}

      {resource.status === 'PUBLISHED' && (
        <div className="grid-2">
          {data.rating && (
            <RatingBox action={api} signedIn={data.signedIn} loginHref={data.loginHref} summary={data.rating} />
          )}
          <CollectBox
            action={api}
            signedIn={data.signedIn}
            loginHref={data.loginHref}
            collections={data.collections}
            meHref={`${base}/me?tab=collections`}
          />
        </div>
      )}

      {data.related.length > 0 && (
        <section data-testid="related">
          <h2>{t('resource.related')}</h2>
          <ResourceCards base={base} items={data.related} />
        </section>
      )}

      {data.signedIn && resource.status === 'PUBLISHED' && !data.isOwner && <ReportResource action={api} />}

      {data.comments && (
        <Comments
          action={api}
          signedIn={data.signedIn}
          loginHref={data.loginHref}
          comments={data.comments.comments}
          moderator={data.comments.moderator}
          video={player?.kind === 'VIDEO'}
        />
      )}

      {files.length > 0 && (
        <section className="card processing" data-testid="processing" data-busy={busy ? 'yes' : 'no'}>
          <h2>{t('resource.processing')}</h2>
          {busy && <p className="muted">{t('resource.processingHint')}</p>}
          {files.map((f) => (
            <div key={f.id} className="file-status" data-testid="file-status" data-status={f.status}>
              <p>
                <strong>{t('resource.file', { name: f.originalName, size: formatBytes(f.size) })}</strong> ·{' '}
                {t(`file.status.${f.status}`)}
              </p>
              {f.errorKey && isMessageKey(f.errorKey) && (f.status === 'FAILED' || f.status === 'REJECTED') && (
                <p className="alert alert-error" role="alert">
                  {t('resource.failedHint')} {t(f.errorKey)}
                </p>
              )}
              {f.steps.length > 0 && (
                <ol className="steps">
                  {f.steps.map((s) => (
                    <li key={s.name} className={`step step-${s.status.toLowerCase()}`}>
                      {isMessageKey(`step.${s.name}`) ? t(`step.${s.name}` as 'step.probe') : s.name}:{' '}
                      {t(`step.status.${s.status}`)}
                      {s.status === 'WAITING' && s.errorKey && <span className="muted"> · {t('step.retrying')}</span>}
                    </li>
                  ))}
                </ol>
              )}
              {canManage && f.status === 'FAILED' && (
                <retry.Form
                  method="post"
                  action={`${base}/api/resources/${resource.id}`}
                  onSubmit={() => setTimeout(() => revalidator.revalidate(), 300)}
                >
                  <CsrfInput />
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="fileId" value={f.id} />
                  <button type="submit" className="button small">
                    {t('resource.retry')}
                  </button>
                </retry.Form>
              )}
            </div>
          ))}
        </section>
      )}

      {canManage && resource.status !== 'DUPLICATE' && mayChange && (
        <section className="card">
          <h2>{t('resource.editMeta')}</h2>
          <MetadataForm
            base={base}
            resourceId={resource.id}
            reviewedEdit={reviewedEdit}
            readOnlyReason={
              resource.status === 'SUBMITTED'
                ? t(data.isOwner ? 'check.readOnlySubmitted' : 'check.readOnlyInReview')
                : resource.status === 'IN_REVIEW'
                  ? t('check.readOnlyInReview')
                  : undefined
            }
            initial={
              revision?.draft ?? {
                title: resource.title,
                description: resource.description,
                resourceType: resource.resourceType,
                curriculumPath: resource.positions[0]?.path ?? [],
                knowledgePoints: resource.knowledgePoints.map((k) => k.id),
                keywords: resource.keywords,
                language: resource.language,
                intendedUsers: resource.intendedUsers,
                licence: resource.licence,
                author: resource.author,
                provider: resource.provider,
                version: resource.version,
                price: resource.priceCents ? String(resource.priceCents / 100) : '',
              }
            }
          />
        </section>
      )}

      {data.isOwner &&
        (resource.status === 'DRAFT' || resource.status === 'CHANGES_REQUESTED' || resource.status === 'PUBLISHED') &&
        primary?.status === 'READY' &&
        mayChange && (
          <section className="card" data-testid="replace-file">
            <h2>{t('resource.replaceFile')}</h2>
            <p className="muted">{reviewedEdit ? t('review.revision.replaceHint') : t('resource.replaceFileHint')}</p>
            <Uploader
              base={base}
              attachTo={resource.id}
              replace
              multiple={false}
              compact
              onFinished={() => revalidator.revalidate()}
            />
          </section>
        )}

      {canManage && resource.kind === 'VIDEO' && mayChange && !LOCKED.has(resource.status) && (
        <section className="card" data-testid="add-subtitles">
          <h2>{t('resource.subtitles')}</h2>
          <p className="muted">{reviewedEdit ? t('review.revision.subtitleHint') : t('resource.addSubtitle')}</p>
          <Uploader
            base={base}
            attachTo={resource.id}
            accept=".srt,.vtt"
            multiple={false}
            compact
            onFinished={() => revalidator.revalidate()}
          />
        </section>
      )}
    </article>
  )
}
