/**
 * Who may see a resource, in one place.
 *  - A published resource is public on the portal of its scope platform and on every portal
 *    below it (a county portal shows its own, its city's and the province's resources), and on
 *    the province's portal, which gathers everything published in the province.
 *  - Anything else (drafts, failed, duplicates) is seen only by its owner and by the admins and
 *    reviewers of its platform; everyone else gets "not found", not "forbidden", so that a
 *    draft's existence does not leak.
 */
import { prisma } from '~/lib/db.server.ts'
import { forbidden, notFound, unauthenticated } from '~/lib/errors.ts'
import { can, isWithin, type Actor, type PlatformRef } from '../authorization.server.ts'
import { coverageFor } from '../market/licences.server.ts'

const include = {
  platform: { select: { id: true, path: true, slug: true, name: true, reviewRequired: true } },
  scopePlatform: { select: { id: true, path: true } },
} as const

async function find(resourceId: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(resourceId)) throw notFound()
  const resource = await prisma.resource.findUnique({ where: { id: resourceId }, include })
  if (!resource || resource.status === 'DELETED') throw notFound()
  return resource
}

function rolesOn(actor: Actor | null, resource: { ownerId: string; platform: PlatformRef }) {
  return {
    isOwner: !!actor && resource.ownerId === actor.userId,
    isAdmin: can(actor, 'platform.admin', resource.platform),
    isReviewer: can(actor, 'review.queue', resource.platform),
  }
}

/** The province's own portal: the root of the platform tree. */
export const isProvincePortal = (portal: PlatformRef) => !portal.path.includes('/')

/**
 * Whether a published resource shows on this portal: on its scope platform's portal and every
 * portal below it; and on the province's portal, which gathers everything published in the
 * province (资源汇聚), whatever its scope.
 */
export function inScope(
  resource: { status: string; scopePlatform: { path: string } | null; platform: { path: string } },
  portal: PlatformRef,
) {
  if (resource.status !== 'PUBLISHED') return false
  if (isProvincePortal(portal) && isWithin(resource.platform.path, portal.path)) return true
  return isWithin(portal.path, (resource.scopePlatform ?? resource.platform).path)
}

/** For managing a resource (drafts, processing, metadata): owner, admins, reviewers. */
export async function loadResourceForActor(actor: Actor | null, resourceId: string, opts: { manage?: boolean } = {}) {
  if (!actor) throw unauthenticated()
  const resource = await find(resourceId)
  const { isOwner, isAdmin, isReviewer } = rolesOn(actor, resource)
  if (!isOwner && !isAdmin && !isReviewer) throw notFound()
  if (opts.manage && !isOwner && !isAdmin) throw forbidden()
  return { resource, isOwner, isAdmin, isReviewer }
}

/** Whether the actor reviews this resource on another platform (a recommendation upward). */
async function reviewsItElsewhere(actor: Actor | null, resourceId: string) {
  if (!actor) return false
  const open = await prisma.review.findMany({
    where: { resourceId, status: 'OPEN' },
    select: { platform: { select: { id: true, path: true } } },
  })
  return open.some((r) => can(actor, 'review.queue', r.platform))
}

/** For reading a resource on a portal: published and in scope, or the actor manages or reviews it. */
export async function loadVisibleResource(actor: Actor | null, resourceId: string, portal: PlatformRef) {
  const resource = await find(resourceId)
  const roles = rolesOn(actor, resource)
  // A parent platform's reviewer deciding a recommendation sees what they are asked to judge.
  if (!roles.isReviewer && !inScope(resource, portal) && (await reviewsItElsewhere(actor, resourceId)))
    roles.isReviewer = true
  // An admin above the platform (who may take it down) sees it too.
  if (!roles.isAdmin && can(actor, 'resource.takedown', resource.platform)) roles.isAdmin = true
  const visible = inScope(resource, portal) || roles.isOwner || roles.isAdmin || roles.isReviewer
  if (!visible) throw notFound()
  const canManage = roles.isOwner || roles.isAdmin
  const entitled = await entitledTo(actor, resource, { canManage, isReviewer: roles.isReviewer })
  return { resource, ...roles, canManage, entitled }
}

/**
 * Whether the actor may have a resource's content (play, page through, download), beyond its
 * metadata. Free material: whoever may see it. Premium material: its owner, the admins who
 * answer for it, the reviewers who must judge it, and holders of a licence that covers them
 * (app/services/market/licences.server.ts: personal, a school seat or the whole school, a region)
 * while the resource is published. One rule for the player and for downloads, so that neither is
 * a way round the other.
 */
export async function entitledTo(
  actor: Actor | null,
  resource: { id: string; licence: string; status: string },
  who: { canManage: boolean; isReviewer: boolean },
) {
  if (resource.licence !== 'PREMIUM' || who.canManage || who.isReviewer) return true
  if (!actor || resource.status !== 'PUBLISHED') return false
  return (await coverageFor(actor.userId, resource.id)) !== null
}

export type ContentGrant = 'full' | 'preview' | null

/**
 * What of a resource's content the actor may have, wherever it is shown: `full` (entitled, see
 * `entitledTo`), `preview` (published premium material without an entitlement), or nothing.
 * Portal scope decides where a resource is listed, not who may watch it, so it is not asked
 * here. Media links are minted from this and checked against it again while they are used
 * (app/server/media.ts), so a role revoked or a resource withdrawn ends them within seconds.
 */
export async function contentGrant(actor: Actor | null, resourceId: string): Promise<ContentGrant> {
  const resource = await prisma.resource.findUnique({ where: { id: resourceId }, include })
  if (!resource || resource.status === 'DELETED' || resource.status === 'TAKEN_DOWN') return null
  const roles = rolesOn(actor, resource)
  if (!roles.isReviewer && (await reviewsItElsewhere(actor, resourceId))) roles.isReviewer = true
  if (!roles.isAdmin && can(actor, 'resource.takedown', resource.platform)) roles.isAdmin = true
  const canManage = roles.isOwner || roles.isAdmin
  const published = resource.status === 'PUBLISHED'
  if (!published && !canManage && !roles.isReviewer) return null
  if (await entitledTo(actor, resource, { canManage, isReviewer: roles.isReviewer })) return 'full'
  return published ? 'preview' : null
}
