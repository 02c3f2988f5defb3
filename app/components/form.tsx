import { useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { useT } from './i18n.tsx'

/** The visitor's CSRF token (root loader), for requests built in code (fetch, FormData). */
export function useCsrfToken() {
  return useRouteLoaderData<{ csrfToken: string }>('root')?.csrfToken ?? ''
}

/** The hidden CSRF field every state-changing form carries (ADR 0006). */
export function CsrfInput() {
  return <input type="hidden" name="_csrf" value={useCsrfToken()} />
}

type Failure = {
  ok: false
  formError: MessageKey
  formErrorParams?: Record<string, string | number>
  fieldErrors: Partial<Record<string, MessageKey>>
}
export type ActionResult =
  Failure | { ok: true; message?: MessageKey; messageParams?: Record<string, string | number> } | undefined

export function fieldError(result: unknown, name: string): MessageKey | undefined {
  const r = result as Failure | undefined
  return r && r.ok === false ? r.fieldErrors?.[name] : undefined
}

export function FormMessage({ result }: { result: unknown }) {
  const t = useT()
  const r = result as ActionResult
  if (!r) return null
  if (r.ok === false)
    return (
      <p className="alert alert-error" role="alert">
        {t(r.formError, r.formErrorParams)}
      </p>
    )
  if (r.message)
    return (
      <p className="alert alert-ok" role="status">
        {t(r.message, r.messageParams)}
      </p>
    )
  return null
}

export function Field(props: {
  name: string
  label: MessageKey
  result?: unknown
  type?: string
  defaultValue?: string
  autoComplete?: string
  required?: boolean
  children?: ReactNode
  maxLength?: number
}) {
  const t = useT()
  const err = fieldError(props.result, props.name)
  const id = `f-${props.name}`
  return (
    <div className="field">
      <label htmlFor={id}>{t(props.label)}</label>
      {props.children ?? (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          defaultValue={props.defaultValue}
          autoComplete={props.autoComplete}
          required={props.required}
          maxLength={props.maxLength}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-err` : undefined}
        />
      )}
      {err ? (
        <p id={`${id}-err`} className="field-error">
          {t(err)}
        </p>
      ) : null}
    </div>
  )
}
