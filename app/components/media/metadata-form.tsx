/** Title, description, type and curriculum position of a draft, saved without leaving the page.
 * On a published resource whose platform reviews changes, saving keeps them as a pending
 * revision (the page then shows it); `reviewedEdit` says so beside the form. */
import { useState } from 'react'
import { useRevalidator } from '@remix-run/react'
import { INTENDED_USERS, LANGUAGES, LICENCES, RESOURCE_TYPES } from '~/lib/curriculum.ts'
import { CurriculumPicker } from './curriculum-picker.tsx'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'
import { useCsrfToken } from '../form.tsx'

export type Draft = {
  title: string
  description: string
  resourceType: string
  curriculumPath: string[]
  knowledgePoints: string[]
  keywords: string[]
  language: string
  intendedUsers: string[]
  licence: string
  author: string
  provider: string
  version: string
  price: string
}

/** A select over a list of codes whose labels are the i18n keys `<prefix>.<code>`. */
function CodeSelect({
  label,
  name,
  codes,
  prefix,
  defaultValue,
}: {
  label: MessageKey
  name: string
  codes: readonly string[]
  prefix: string
  defaultValue: string
}) {
  const t = useT()
  return (
    <label>
      {t(label)}
      <select name={name} id={`meta-${name}`} defaultValue={defaultValue}>
        {codes.map((c) => (
          <option key={c} value={c}>
            {t(`${prefix}.${c}` as MessageKey)}
          </option>
        ))}
      </select>
    </label>
  )
}

export function MetadataForm({
  base,
  resourceId,
  initial,
  reviewedEdit = false,
  readOnlyReason,
}: {
  base: string
  resourceId: string
  initial: Partial<Draft>
  /** The resource is published and its platform reviews changes before they go live. */
  reviewedEdit?: boolean
  /** Shown instead of the save button when the resource may not change now (it is under review). */
  readOnlyReason?: string
}) {
  const t = useT()
  const csrfToken = useCsrfToken()
  const revalidator = useRevalidator()
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'pending' | 'error'>('idle')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [message, setMessage] = useState('')
  return (
    <form
      className="meta-form"
      data-testid="meta-form"
      onSubmit={async (e) => {
        e.preventDefault()
        setState('saving')
        const form = new FormData(e.currentTarget)
        form.set('_csrf', csrfToken)
        form.set('intent', 'meta')
        const res = await fetch(`${base}/api/resources/${resourceId}`, { method: 'POST', body: form }).catch(() => null)
        const body = res
          ? ((await res.json().catch(() => ({}))) as {
              ok?: boolean
              pending?: boolean
              error?: string
              fields?: Record<string, string>
            })
          : {}
        setErrors(body.fields ?? {})
        setMessage(body.ok ? '' : (body.error ?? t('upload.error.network')))
        setState(body.ok ? (body.pending ? 'pending' : 'saved') : 'error')
        // The page shows the pending revision (or the new metadata): read it again.
        if (body.ok) revalidator.revalidate()
      }}
      onChange={() => (state === 'saved' || state === 'pending') && setState('idle')}
    >
      {reviewedEdit && (
        <p className="muted wide" data-testid="reviewed-edit">
          {t('review.revision.editHint')}
        </p>
      )}
      {readOnlyReason && (
        <p className="alert wide" data-testid="read-only-reason">
          {readOnlyReason}
        </p>
      )}
      {/* A disabled fieldset makes every field read-only at once (display: contents keeps the grid). */}
      <fieldset disabled={!!readOnlyReason} className="contents">
        {/* Chinese titles run long (《…》第一课时 教学设计): the title gets the whole row. */}
        <label className="wide">
          {t('upload.meta.title')}
          <input
            name="title"
            id="meta-title"
            className="input-title"
            defaultValue={initial.title}
            maxLength={120}
            required
            aria-invalid={!!errors.title}
          />
          {errors.title && <span className="field-error">{errors.title}</span>}
        </label>
        <CodeSelect
          label="upload.meta.type"
          name="resourceType"
          codes={RESOURCE_TYPES}
          prefix="resourceType"
          defaultValue={initial.resourceType ?? 'COURSEWARE'}
        />
        <CurriculumPicker
          id="meta-curriculum"
          base={base}
          initialPath={initial.curriculumPath}
          initialKnowledgePoints={initial.knowledgePoints}
        />
        <label className="wide">
          {t('upload.meta.keywords')} <span className="muted">{t('upload.meta.keywordsHint')}</span>
          <input
            name="keywords"
            defaultValue={(initial.keywords ?? []).join('，')}
            maxLength={300}
            aria-invalid={!!errors.keywords}
          />
          {errors.keywords && <span className="field-error">{errors.keywords}</span>}
        </label>
        <CodeSelect
          label="upload.meta.licence"
          name="licence"
          codes={LICENCES}
          prefix="licence"
          defaultValue={initial.licence ?? 'CC-BY-NC'}
        />
        <CodeSelect
          label="upload.meta.language"
          name="language"
          codes={LANGUAGES}
          prefix="language"
          defaultValue={initial.language ?? 'zh'}
        />
        <fieldset className="inline-choices">
          <legend>{t('upload.meta.intendedUsers')}</legend>
          {INTENDED_USERS.map((c) => (
            <label key={c} className="kp">
              <input
                type="checkbox"
                name="intendedUsers"
                value={c}
                defaultChecked={(initial.intendedUsers ?? ['TEACHER']).includes(c)}
              />
              {t(`intendedUser.${c}`)}
            </label>
          ))}
          {errors.intendedUsers && <span className="field-error">{errors.intendedUsers}</span>}
        </fieldset>
        <label>
          {t('upload.meta.price')}
          <input
            name="price"
            id="meta-price"
            inputMode="decimal"
            defaultValue={initial.price ?? ''}
            maxLength={8}
            placeholder={t('upload.meta.pricePlaceholder')}
            aria-invalid={!!errors.price}
          />
          {errors.price && <span className="field-error">{errors.price}</span>}
        </label>
        <label>
          {t('upload.meta.author')}
          <input name="author" defaultValue={initial.author} maxLength={60} />
        </label>
        <label>
          {t('upload.meta.provider')}
          <input name="provider" defaultValue={initial.provider} maxLength={60} />
        </label>
        <label>
          {t('upload.meta.version')}
          <input
            name="version"
            defaultValue={initial.version ?? '1.0'}
            maxLength={20}
            aria-invalid={!!errors.version}
          />
          {errors.version && <span className="field-error">{errors.version}</span>}
        </label>
        <label className="wide">
          {t('upload.meta.description')}
          <textarea
            name="description"
            id="meta-description"
            defaultValue={initial.description}
            maxLength={2000}
            rows={3}
            aria-invalid={!!errors.description}
          />
          {errors.description && <span className="field-error">{errors.description}</span>}
        </label>
      </fieldset>
      {!readOnlyReason && (
        <div className="wide">
          <button type="submit" className="button small" disabled={state === 'saving'}>
            {t('upload.meta.save')}
          </button>{' '}
          {state === 'saved' && (
            <span className="ok" role="status">
              {t('upload.meta.saved')}
            </span>
          )}
          {state === 'pending' && (
            <span className="ok" role="status" data-testid="saved-pending">
              {t('review.revision.saved')}
            </span>
          )}
          {state === 'error' && message && (
            <span className="field-error" role="alert">
              {message}
            </span>
          )}
        </div>
      )}
    </form>
  )
}
