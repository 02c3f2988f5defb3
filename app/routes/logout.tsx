import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { readForm } from '~/lib/csrf.server.ts'
import { throwAsResponse } from '~/lib/http.server.ts'
import { clearSessionCookie, getActor, readSessionId, requestMeta, safeRedirectPath } from '~/lib/session.server.ts'
import { signOut } from '~/services/auth/sign-in.server.ts'

export async function loader() {
  throw redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A resource route (no page): failures become plain responses, not form data.
  const form = await readForm(request, context).catch(throwAsResponse)
  const [sessionId, actor] = await Promise.all([readSessionId(request), getActor(request, context)])
  if (sessionId) await signOut(sessionId, actor?.userId ?? null, requestMeta(context))
  throw redirect(safeRedirectPath(form.get('redirectTo'), '/'), {
    headers: { 'Set-Cookie': await clearSessionCookie() },
  })
}
