/**
 * Who may upload a file into a resource, in one place. Starting an upload
 * (start-upload.server.ts) and sending its bytes over tus (tus-gate.server.ts) both ask
 * `assertMayUpload`, so whoever may start an upload may finish it, and nobody else may:
 *  - the caller may upload on the resource's platform (`resource.upload`: its teachers,
 *    providers and admins), checked again on every chunk, so a role revoked mid-upload stops
 *    the bytes;
 *  - and manages the resource: its owner, or an admin of its platform (the same people
 *    `loadResourceForActor(…, { manage: true })` lets change it);
 *  - and the resource is still in a state that takes this kind of file: a new main file only
 *    into a draft, a replacement while a draft, sent back for changes or published (then as
 *    part of a revision that is reviewed before it goes live), a subtitle only onto a video.
 * Inspecting an upload (tus HEAD, DELETE) needs the first two only.
 */
import { conflict, forbidden, unauthenticated } from '~/lib/errors.ts'
import type { FileRole, MediaKind, ResourceStatus } from '~/lib/db.server.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'

export type UploadTarget = {
  role: FileRole
  resource: { ownerId: string; status: ResourceStatus; kind: MediaKind | null; platform: PlatformRef }
}

/** The target of a brand-new upload: a draft that does not exist yet, owned by the caller. */
export const newDraftTarget = (actor: Actor | null, platform: PlatformRef): UploadTarget => ({
  role: 'PRIMARY',
  resource: { ownerId: actor?.userId ?? '', status: 'DRAFT', kind: null, platform },
})

/** Whether the resource's state takes a file of this role (see the module comment). */
function stateAllows({ role, resource }: UploadTarget) {
  switch (role) {
    case 'PRIMARY':
      return resource.status === 'DRAFT'
    case 'REPLACEMENT':
      // On a published resource the replacement joins its pending revision (revisions.server.ts)
      // and goes live only when that is approved, where the platform reviews changes.
      return resource.status === 'DRAFT' || resource.status === 'CHANGES_REQUESTED' || resource.status === 'PUBLISHED'
    case 'SUBTITLE':
      return resource.kind === 'VIDEO'
    case 'PREVIOUS':
      return false
  }
}

/**
 * Throws unless `actor` may upload a file of `target.role` into `target.resource`
 * (401 signed out, 403 not theirs to upload, 409 the resource no longer takes it).
 */
export function assertMayUpload(
  actor: Actor | null,
  target: UploadTarget,
  opts: { inspectOnly?: boolean } = {},
): asserts actor is Actor {
  if (!actor) throw unauthenticated()
  const { resource } = target
  if (!can(actor, 'resource.upload', resource.platform)) throw forbidden()
  if (resource.ownerId !== actor.userId && !can(actor, 'platform.admin', resource.platform)) throw forbidden()
  if (opts.inspectOnly || stateAllows(target)) return
  if (target.role === 'SUBTITLE') throw conflict('upload.error.subtitleNeedsVideo')
  throw conflict('resource.error.badTransition')
}
