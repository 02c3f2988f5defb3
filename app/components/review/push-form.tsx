/** 推送 on the resource page, for the portal's admins: to chosen platforms below and roles. */
import { useFetcher } from '@remix-run/react'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { useT } from '../i18n.tsx'

import { PUSH_ROLES as ROLES } from '~/lib/review-codes.ts'
import { CsrfInput } from '../form.tsx'

export function PushForm({ action, targets }: { action: string; targets: { id: string; name: string }[] }) {
  const t = useT()
  const fetcher = useFetcher<{ ok: boolean; error?: string }>()
  return (
    <details className="card" data-testid="push">
      <summary>{t('push.title')}</summary>
      <p className="muted small">{t('push.hint')}</p>
      {fetcher.data?.ok ? (
        <p className="ok" data-testid="pushed">
          {t('push.done')}
        </p>
      ) : (
        <fetcher.Form method="post" action={action} className="stack">
          <CsrfInput />
          <input type="hidden" name="intent" value="push" />
          <fieldset className="kp-list">
            <legend>{t('push.platforms')}</legend>
            {targets.map((p) => (
              <label key={p.id} className="kp">
                <input type="checkbox" name="platformIds" value={p.id} /> {p.name}
              </label>
            ))}
          </fieldset>
          <fieldset className="kp-list">
            <legend>{t('push.roles')}</legend>
            {ROLES.map((r) => (
              <label key={r} className="kp">
                <input type="checkbox" name="roles" value={r} /> {t(`role.${r}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <input name="note" maxLength={200} placeholder={t('push.note')} aria-label={t('push.note')} />
          <div>
            <button type="submit" className="button small" data-testid="push-submit">
              {t('push.submit')}
            </button>
          </div>
          {fetcher.data?.error && <p className="field-error">{fetcher.data.error}</p>}
        </fetcher.Form>
      )}
    </details>
  )
}
