/**
 * /p/:slug/api/resources/:id — what the upload and resource pages poll (processing status),
 * and the small writes they make without leaving the page: metadata (on a published resource
 * whose platform reviews changes: into its pending revision), retry, the review workflow
 * (submit, withdraw a submission, delete a draft, submit or withdraw a revision, recommend, takedown, restore; decisions are made on
 * the review page), rating,
 * comments and their reports and moderation, collecting.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { errorJson, throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { requirePlatform } from '~/lib/platform.server.ts'
import { getActor, requestMeta } from '~/lib/session.server.ts'
import { processingStatus } from '~/services/media/steps.server.ts'
import { retryProcessing } from '~/services/media/retry-processing.server.ts'
import { loadResourceForActor } from '~/services/resources/access.server.ts'
import { updateDraft } from '~/services/resources/update-draft.server.ts'
import {
  discardRevision,
  recommendResource,
  restoreResource,
  submitResource,
  submitRevision,
  takedownResource,
  withdrawSubmission,
} from '~/services/review/workflow.server.ts'
import { deleteDraft } from '~/services/resources/delete-draft.server.ts'
import { arrangeFeatured, selectIntoFeatured } from '~/services/review/featured.server.ts'
import { handleResourceReports, reportResource } from '~/services/safety/resource-reports.server.ts'
import { pushToAudience } from '~/services/review/push.server.ts'
import { rateResource } from '~/services/engagement/ratings.server.ts'
import { addComment, dismissReports, hideComment, reportComment } from '~/services/engagement/comments.server.ts'
import { addToCollection } from '~/services/engagement/collections.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePlatform(context, params.slug)
  const actor = await getActor(request, context)
  try {
    const { resource } = await loadResourceForActor(actor, params.id ?? '')
    const files = await processingStatus(resource.id)
    return Response.json(
      { id: resource.id, status: resource.status, duplicateOfId: resource.duplicateOfId, files },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (e) {
    throwAsResponse(e)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const portal = await requirePlatform(context, params.slug)
  const id = params.id ?? ''
  const form = await readForm(request, context).catch(throwAsResponse)
  const actor = await getActor(request, context)
  const meta = requestMeta(context)
  try {
    switch (form.get('intent')) {
      case 'meta': {
        const saved = await updateDraft(
          actor,
          params.id ?? '',
          {
            title: formString(form, 'title', 300),
            description: formString(form, 'description', 5000),
            resourceType: formString(form, 'resourceType', 40),
            subject: formString(form, 'subject', 40),
            grade: formString(form, 'grade', 40),
            curriculum: form
              .getAll('curriculum')
              .filter((v): v is string => typeof v === 'string' && v !== '')
              .slice(0, 10),
            knowledgePoints: form
              .getAll('knowledgePoints')
              .filter((v): v is string => typeof v === 'string')
              .slice(0, 40),
            keywords: formString(form, 'keywords', 400),
            language: formString(form, 'language', 10) || undefined,
            intendedUsers: form
              .getAll('intendedUsers')
              .filter((v): v is string => typeof v === 'string')
              .slice(0, 5),
            licence: formString(form, 'licence', 30) || undefined,
            author: formString(form, 'author', 100),
            provider: formString(form, 'provider', 100),
            version: formString(form, 'version', 30) || undefined,
            price: formString(form, 'price', 20),
          } as never,
          meta,
        )
        return Response.json({ ok: true, ...saved })
      }
      case 'retry':
        await retryProcessing(actor, formString(form, 'fileId', 60), meta)
        return Response.json({ ok: true })
      case 'submit':
        return Response.json({ ok: true, ...(await submitResource(actor, id, meta)) })
      case 'withdraw':
        await withdrawSubmission(actor, id, meta)
        return Response.json({ ok: true })
      case 'delete':
        await deleteDraft(actor, id, meta)
        return Response.json({ ok: true, deleted: true })
      case 'submit-revision':
        return Response.json({ ok: true, ...(await submitRevision(actor, id, meta)) })
      case 'discard-revision':
        await discardRevision(actor, id, meta)
        return Response.json({ ok: true })
      case 'recommend':
        return Response.json({ ok: true, ...(await recommendResource(actor, id, meta)) })
      case 'takedown':
        await takedownResource(actor, id, formString(form, 'reason', 20), formString(form, 'note', 600), meta)
        return Response.json({ ok: true })
      case 'feature': {
        const newTitle = formString(form, 'newTitle', 100)
        return Response.json({
          ok: true,
          ...(await selectIntoFeatured(
            actor,
            portal,
            id,
            newTitle ? { newTitle } : { collectionId: formString(form, 'collectionId', 60) },
            meta,
          )),
        })
      }
      case 'arrange': {
        const op = formString(form, 'op', 10)
        if (op !== 'up' && op !== 'down' && op !== 'remove')
          return Response.json({ ok: false, error: translator(getLocale(request))('form.invalid') }, { status: 400 })
        await arrangeFeatured(actor, portal, formString(form, 'collectionId', 60), id, op, meta)
        return Response.json({ ok: true })
      }
      case 'report-resource':
        await reportResource(actor, id, portal, formString(form, 'reason', 20), formString(form, 'detail', 600), meta)
        return Response.json({ ok: true })
      case 'handle-reports': {
        const decision = formString(form, 'decision', 10)
        if (decision !== 'KEEP' && decision !== 'TAKEDOWN')
          return Response.json({ ok: false, error: translator(getLocale(request))('form.invalid') }, { status: 400 })
        await handleResourceReports(actor, id, decision, formString(form, 'reason', 20), meta)
        return Response.json({ ok: true })
      }
      case 'push': {
        const strings = (name: string) =>
          form
            .getAll(name)
            .filter((v): v is string => typeof v === 'string')
            .slice(0, 100)
        await pushToAudience(
          actor,
          portal,
          {
            resourceId: id,
            platformIds: strings('platformIds'),
            roles: strings('roles'),
            note: formString(form, 'note', 300),
          },
          meta,
        )
        return Response.json({ ok: true })
      }
      case 'restore':
        await restoreResource(actor, id, meta)
        return Response.json({ ok: true })
      case 'rate':
        return Response.json({ ok: true, ...(await rateResource(actor, id, portal, formString(form, 'score', 2))) })
      case 'comment':
        await addComment(actor, id, portal, formString(form, 'body', 5000), meta)
        return Response.json({ ok: true })
      case 'report-comment':
        await reportComment(actor, formString(form, 'commentId', 60), portal, formString(form, 'reason', 20), meta)
        return Response.json({ ok: true })
      case 'hide-comment':
        await hideComment(actor, formString(form, 'commentId', 60), formString(form, 'reason', 20), meta)
        return Response.json({ ok: true })
      case 'keep-comment':
        await dismissReports(actor, formString(form, 'commentId', 60), meta)
        return Response.json({ ok: true })
      case 'collect': {
        const newName = formString(form, 'newCollection', 100)
        return Response.json({
          ok: true,
          ...(await addToCollection(
            actor,
            id,
            portal,
            newName ? { newName } : { collectionId: formString(form, 'collectionId', 60) },
          )),
        })
      }
      default:
        return Response.json({ ok: false, error: translator(getLocale(request))('form.invalid') }, { status: 400 })
    }
  } catch (e) {
    return errorJson(e, getLocale(request))
  }
}
