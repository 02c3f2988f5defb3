/**
 * Media links for players, viewers and result cards, and the check that a link still holds.
 * The token kinds and what each reaches are storage/capabilities.ts (ADR 0014); this file
 * decides which token a viewer gets and whether its grant still stands:
 *  - free, published material: a `public` link, valid while the resource stays published and free;
 *  - anything else (premium for its entitled viewers, drafts for owners and reviewers): a link
 *    bound to the viewer's session, valid while that session lives and `contentGrant` still
 *    says so (a role revoked, a resource withdrawn or a licence refunded ends it);
 *  - premium material without an entitlement: a `public` preview link.
 * Checks are cached for GRANT_RECHECK_MS, so playback costs no database round trip per segment
 * and a revocation takes effect for new requests within that time.
 */
import { prisma } from '~/lib/db.server.ts'
import { env } from '~/lib/env.server.ts'
import { ttlCache } from '~/lib/ttl-cache.server.ts'
import {
  sessionTag,
  signMedia,
  signThumb,
  type Binding,
  type MediaClaims,
  type MediaKindCode,
  type MediaScope,
} from '../../../storage/capabilities.ts'
import { getActorForSession } from '../auth/sessions.server.ts'
import { contentGrant } from './access.server.ts'

/** Long enough to watch a lesson; short enough that a leaked link dies the same day. */
export const MEDIA_URL_TTL_SECONDS = 4 * 3600
/** Thumbnails are signed per result; the token lives as long as a search page is read. */
export const THUMB_TTL_SECONDS = 3600
/** How long a grant check is trusted before it is made again. */
export const GRANT_RECHECK_MS = 5_000

export type MediaFile = {
  platformId: string
  resourceId: string
  fileId: string
  kind: MediaKindCode
  duration?: number
}

/**
 * The binding a link gets, or null when none can be made (a session-bound grant for a visitor
 * without a session).
 */
export function bindingFor(
  resource: { status: string; licence: string },
  scope: MediaScope,
  viewer: { userId: string; sessionId?: string } | null,
): Binding | null {
  const isPublic = resource.status === 'PUBLISHED' && (scope === 'preview' || resource.licence !== 'PREMIUM')
  if (isPublic) return { t: 'public' }
  if (!viewer?.sessionId) return null
  return { t: 'session', h: sessionTag(env().SESSION_SECRET, viewer.sessionId), u: viewer.userId }
}

/** The URL prefix (ending in "/") of one file's derivatives for one purpose and binding. */
export function mediaBase(file: MediaFile, scope: MediaScope, binding: Binding) {
  const token = signMedia(
    env().SESSION_SECRET,
    {
      p: file.platformId,
      r: file.resourceId,
      f: file.fileId,
      m: file.kind,
      s: scope,
      b: binding,
      ...(file.duration ? { d: Math.round(file.duration) } : {}),
    },
    MEDIA_URL_TTL_SECONDS,
  )
  return `/media/${token}/`
}

/** A result card's picture: one object key, under /thumbs/<token>/<file name>. */
export function thumbLink(key: string) {
  return `/thumbs/${signThumb(env().SESSION_SECRET, key, THUMB_TTL_SECONDS)}/${key.split('/').pop()}`
}

const publicGrants = ttlCache<string, boolean>(GRANT_RECHECK_MS, 20_000)
const sessionGrants = ttlCache<string, boolean>(GRANT_RECHECK_MS, 20_000)

/** Whether a media token's grant still holds for the request that carries `sessionId`. */
export function mediaGrantHolds(c: MediaClaims, sessionId: string | null): Promise<boolean> {
  if (c.b.t === 'public') {
    return publicGrants.get(`${c.r}:${c.s}`, async () => {
      const r = await prisma.resource.findUnique({ where: { id: c.r }, select: { status: true, licence: true } })
      return !!r && r.status === 'PUBLISHED' && (c.s === 'preview' || r.licence !== 'PREMIUM')
    })
  }
  const binding = c.b
  if (!sessionId || sessionTag(env().SESSION_SECRET, sessionId) !== binding.h) return Promise.resolve(false)
  return sessionGrants.get(`${binding.h}:${c.r}:${c.s}`, async () => {
    const actor = await getActorForSession(sessionId)
    if (!actor || actor.userId !== binding.u) return false
    const grant = await contentGrant(actor, c.r)
    return grant === 'full' || (grant === 'preview' && c.s === 'preview')
  })
}
