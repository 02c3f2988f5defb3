/** The search field with suggestions as you type (curriculum terms and matching titles). */
import { Form, useFetcher } from '@remix-run/react'
import { useEffect, useId, useState } from 'react'
import { useT } from '../i18n.tsx'

type Suggestion = { text: string; kind: 'term' | 'title'; id?: string }

export function SearchBox({
  base,
  action,
  defaultValue,
  hidden,
}: {
  base: string
  action: string
  defaultValue: string
  hidden: [string, string][]
}) {
  const t = useT()
  const listId = useId()
  const [value, setValue] = useState(defaultValue)
  const fetcher = useFetcher<{ suggestions: Suggestion[] }>()
  useEffect(() => setValue(defaultValue), [defaultValue])
  useEffect(() => {
    const q = value.trim()
    if (!q || q === defaultValue) return
    const id = setTimeout(() => fetcher.load(`${base}/api/suggest?q=${encodeURIComponent(q)}`), 150)
    return () => clearTimeout(id)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value])
  const suggestions = fetcher.data?.suggestions ?? []
  return (
    <Form method="get" action={action} role="search" className="search-box">
      {hidden.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <input
        type="search"
        name="q"
        value={value}
        maxLength={100}
        onChange={(e) => setValue(e.target.value)}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        list={listId}
        autoComplete="off"
        data-testid="search-input"
      />
      <datalist id={listId} data-testid="suggestions">
        {suggestions.map((s) => (
          <option key={s.kind + s.text} value={s.text}>
            {s.kind === 'term' ? t('search.suggestTerm') : t('search.suggestTitle')}
          </option>
        ))}
      </datalist>
      <button type="submit" className="button">
        {t('search.submit')}
      </button>
    </Form>
  )
}
