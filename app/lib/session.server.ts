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
    // On the platform's own host name its sign-in page is /login (app/lib/platform-links.ts).
    const login = context.hostPlatformSlug === platformSlug ? '/login' : `/p/${platformSlug}/login`
    throw redirect(`${login}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return actor
}

export function requestMeta(context: AppLoadContext) {
  return { ip: context.ip, requestId: context.requestId }
}

/**
 * Only paths on our own origin may be redirect targets (no open redirects). The value is parsed
 * with the WHATWG URL parser, the one browsers use, against our origin: it drops tabs and
 * newlines and reads `\` as `/`, so `/<tab>/evil.example` and `/\evil.example` come out as
 * another host and are refused. What is returned is the parser's own serialisation (path, query,
 * fragment), never the raw input, and it is refused too when a browser could still read it as
 * another host (a leading `//`, also once percent-decoded, e.g. `/.//evil.example` → `//evil.example`).
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback: string) {
  if (typeof to !== 'string' || !to.startsWith('/') || to.length > 2048) return fallback
  const origin = new URL(env().APP_URL).origin
  let url: URL
  try {
    url = new URL(to, origin)
  } catch {
    return fallback
  }
  if (url.origin !== origin) return fallback
  const path = url.pathname + url.search + url.hash
  if (!isPlainPath(path) || new URL(path, origin).origin !== origin) return fallback
  return path
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what these refuse
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex
const HOST_START = /^[/\\][\s\u0000-\u001f\u007f]*[/\\]/

/** A path that starts with one `/` (not `//`, `/\`, `/<tab>/`, not even once percent-decoded)
 * and holds no control character or space. */
function isPlainPath(path: string) {
  if (!path.startsWith('/') || CONTROL_OR_SPACE.test(path) || HOST_START.test(path)) return false
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed escape decodes to nothing more than it says; the raw form was checked above.
  }
  return !HOST_START.test(decoded)
}
