/**
 * 学校授权: a school purchaser's licences — what the school holds and until when, who has its
 * seats (assign by phone or e-mail, typed or from a CSV file; reclaim), and how much each licence
 * is used. Shown on the school's own platform (/p/<school>/licences).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useRef } from 'react'
import { CsrfInput, FormMessage } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { formatDate } from '~/lib/dates.ts'
import { runAction, throwAsResponse } from '~/lib/http.server.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { requireActor } from '~/lib/session.server.ts'
import { assignSeats, reclaimSeat, schoolLicences, type SeatLine } from '~/services/market/school-licences.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const licences = await schoolLicences(actor, platform).catch(throwAsResponse)
  return {
    school: platform.name,
    base: platformLinks(context, platform).base,
    licences: licences.map((l) => ({
      id: l.id,
      title: l.orderItem.title,
      term: l.orderItem.term,
      uses: l.orderItem.uses,
      orderNumber: l.orderItem.order.number,
      status: l.status,
      seats: l.seats,
      endsAt: l.endsAt?.toISOString() ?? null,
      resourceId: l.resources[0]?.resourceId ?? null,
      usage: l.usage,
      assigned: l.seatAssignments.map((s) => ({
        userId: s.userId,
        name: s.user.displayName,
        contact: s.user.phone ? `${s.user.phone.slice(0, 3)}****${s.user.phone.slice(-4)}` : (s.user.email ?? ''),
        at: s.assignedAt.toISOString(),
      })),
    })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const platform = await requirePlatform(context, params.slug)
  const actor = await requireActor(request, context, platform.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  return runAction(async () => {
    const licenceId = formString(form, 'licenceId', 40)
    if (form.get('intent') === 'reclaim') {
      await reclaimSeat(actor, licenceId, formString(form, 'userId', 40))
      return { ok: true as const, message: 'market.seat.reclaimed' as const, lines: [] as SeatLine[], licenceId }
    }
    const lines = formString(form, 'people', 200_000).split(/\r?\n/)
    const done = await assignSeats(actor, licenceId, lines)
    return { ok: true as const, message: 'market.seat.done' as const, lines: done, licenceId }
  })
}

/** A CSV from Excel on Chinese Windows is often GBK: read it as UTF-8 if it is, else as GB 18030. */
async function readCsv(file: File) {
  const bytes = await file.arrayBuffer()
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

function AssignForm({ licenceId }: { licenceId: string }) {
  const t = useT()
  const area = useRef<HTMLTextAreaElement>(null)
  return (
    <Form method="post" className="stack" data-testid="assign-seats">
      <CsrfInput />
      <input type="hidden" name="licenceId" value={licenceId} />
      <label>
        {t('market.seat.people')}
        <textarea ref={area} name="people" rows={4} placeholder={t('market.seat.placeholder')} />
      </label>
      <label className="small">
        {t('market.seat.csv')}{' '}
        <input
          type="file"
          accept=".csv,text/csv,.txt"
          onChange={async (e) => {
            const f = e.currentTarget.files?.[0]
            if (f && area.current) area.current.value = await readCsv(f)
          }}
        />
      </label>
      <button type="submit" className="button small">
        {t('market.seat.assign')}
      </button>
    </Form>
  )
}

export default function SchoolLicences() {
  const t = useT()
  const { licences, school, base } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <section>
      <h1>{t('market.licences.title', { school })}</h1>
      <FormMessage result={result} />
      {licences.length === 0 && <p className="empty">{t('market.licences.none')}</p>}
      {licences.map((l) => (
        <article key={l.id} className="card" data-testid="school-licence">
          <h2>
            {l.resourceId ? <a href={`${base}/r/${l.resourceId}`}>{l.title}</a> : l.title}{' '}
            <span className="muted small">
              {t(`market.licence.${l.status}`)} · {t('market.receipt.number')} {l.orderNumber}
              {l.endsAt && <> · {t('market.validUntil', { date: formatDate(l.endsAt) })}</>}
            </span>
          </h2>
          <p className="muted small" data-testid="licence-usage">
            {l.seats === null
              ? t('market.wholeSchool')
              : t('market.licences.seatsUsed', { used: l.assigned.length, total: l.seats })}{' '}
            · {t('market.licences.usage', { views: l.usage.views, downloads: l.usage.downloads })}
          </p>
          {result && 'licenceId' in result && result.licenceId === l.id && result.lines.length > 0 && (
            <table className="table small" data-testid="seat-results">
              <tbody>
                {result.lines.map((r) => (
                  <tr key={r.line} className={r.ok ? '' : 'row-error'}>
                    <td>{r.line}</td>
                    <td>{r.text}</td>
                    <td>{t(r.message as MessageKey)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {l.seats !== null && (
            <>
              {l.assigned.length > 0 && (
                <ul className="stack" data-testid="seat-holders">
                  {l.assigned.map((s) => (
                    <li key={s.userId}>
                      {s.name} <span className="muted small">{s.contact}</span>{' '}
                      <Form method="post" className="inline">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="reclaim" />
                        <input type="hidden" name="licenceId" value={l.id} />
                        <input type="hidden" name="userId" value={s.userId} />
                        <button type="submit" className="link-button small">
                          {t('market.seat.reclaim')}
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              )}
              {l.status === 'ACTIVE' && <AssignForm licenceId={l.id} />}
            </>
          )}
        </article>
      ))}
    </section>
  )
}
