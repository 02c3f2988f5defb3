/** The session cookie and the current actor. The cookie carries only a signed random id. */
import { createCookie, redirect, type AppLoadContext } from '@remix-run/node'
import { env } from './env.server.ts'
import { memoForRequest } from './request-memo.server.ts'
import { getActorForSession } from '~/services/auth/sessions.server.ts'
import { SESSION_TTL_MS } from '~/services/auth/sessions.server.ts'

const secure = () => env().NODE_ENV === 'production'

export const sessionCookie = () =>
  createCookie(secure() ? '__Host-erc_session' : 'erc_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(),
    path: '/',
    secrets: [env().SESSION_SECRET],
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  })

export async function readSessionId(request: Request): Promise<string | null> {
  const v = await sessionCookie().parse(request.headers.get('cookie'))
  return typeof v === 'string' && v.length > 20 ? v : null
}

export async function commitSessionCookie(sessionId: string) {
  return sessionCookie().serialize(sessionId)
}

export async function clearSessionCookie() {
  return sessionCookie().serialize('', { maxAge: 0 })
}

export type CurrentActor = NonNullable<Awaited<ReturnType<typeof getActorForSession>>>

/** The signed-in actor, or null; looked up once per request however many loaders ask. */
export function getActor(request: Request, context: AppLoadContext): Promise<CurrentActor | null> {
  return memoForRequest(context, 'actor', () =>
    readSessionId(request).then((id) => (id ? getActorForSession(id) : null)),
  )
}

/** The actor, or a redirect to the sign-in page of the given platform. */
export async function requireActor(
  request: Request,
  context: AppLoadContext,
  platformSlug: string,
): Promise<CurrentActor> {
  const actor = await getActor(request, context)
  if (!actor) {
    const url = new URL(request.url)
    throw redirect(`/p/${platformSlug}/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return actor
}

export function requestMeta(context: AppLoadContext) {
  return { ip: context.ip, requestId: context.requestId }
}

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback: string) {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
