/** A field's value in a version diff, in words: 微课 rather than MICRO_LECTURE, ¥12.00 rather
 * than 1200, the chapter's trail rather than a node id (the server resolves trails:
 * readableChanges in app/services/review/rules.server.ts). */
import { isMessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'
import { yuan } from '../catalogue/marked.tsx'

const CODE_PREFIX: Record<string, string> = {
  resourceType: 'resourceType',
  licence: 'licence',
  language: 'language',
  intendedUsers: 'intendedUser',
  subject: 'subject',
  grade: 'grade',
}

export function ChangeValue({ field, value }: { field: string; value: unknown }) {
  const t = useT()
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return <>—</>
  if (field === 'priceCents' && typeof value === 'number') return <>{yuan(value)}</>
  const prefix = CODE_PREFIX[field]
  const word = (v: unknown) => {
    const key = `${prefix}.${String(v)}`
    return prefix && isMessageKey(key) ? t(key) : String(v)
  }
  return <>{Array.isArray(value) ? value.map(word).join('、') : word(value)}</>
}

/** The name of a diffed field ("教材位置"), or the field itself where there is none. */
export function useFieldName() {
  const t = useT()
  return (field: string) => {
    const key = `review.field.${field}`
    return isMessageKey(key) ? t(key) : field
  }
}

/** A version diff, one line a field: 教材位置: <del>…</del> → <ins>…</ins>. */
export function ChangeList({
  changes,
  testId,
}: {
  changes: { field: string; before: unknown; after: unknown }[]
  testId?: string
}) {
  const fieldName = useFieldName()
  return (
    <ul data-testid={testId}>
      {changes.map((c) => (
        <li key={c.field} data-field={c.field}>
          <strong>{fieldName(c.field)}</strong>:{' '}
          <del>
            <ChangeValue field={c.field} value={c.before} />
          </del>{' '}
          →{' '}
          <ins>
            <ChangeValue field={c.field} value={c.after} />
          </ins>
        </li>
      ))}
    </ul>
  )
}
