import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { readForm } from '~/lib/csrf.server.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { DEFAULT_LOCALE, isLocale } from '~/lib/i18n/index.ts'
import { localeCookie } from '~/lib/locale.server.ts'
import { safeRedirectPath } from '~/lib/session.server.ts'

export async function loader() {
  throw redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A resource route (no page): failures become plain responses, not form data.
  const form = await readForm(request, context).catch(throwAsResponse)
  const choice = form.get('locale')
  const locale = isLocale(choice) ? choice : DEFAULT_LOCALE
  throw redirect(safeRedirectPath(form.get('redirectTo'), '/'), { headers: { 'Set-Cookie': localeCookie(locale) } })
}
