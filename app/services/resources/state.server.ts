/**
 * The resource state machine. Every change of `Resource.status` goes through `transition`,
 * which refuses a move the table does not list. Who may make each move is decided by the
 * service that asks for it (app/services/review/ for the review workflow).
 */
import { conflict } from '~/lib/errors.ts'
import type { ResourceStatus, Tx } from '~/lib/db.server.ts'

const ALLOWED: Record<ResourceStatus, ResourceStatus[]> = {
  // A draft's primary file was refused or failed, or the same bytes already exist; or it is
  // submitted for review, or published directly where the platform needs no review.
  DRAFT: ['FAILED', 'DUPLICATE', 'DELETED', 'SUBMITTED', 'PUBLISHED'],
  // The owner retried processing, or gives up and deletes it.
  FAILED: ['DRAFT', 'DELETED'],
  DUPLICATE: ['DELETED'],
  // A reviewer claims it; the owner may withdraw it while nobody has.
  SUBMITTED: ['IN_REVIEW', 'DRAFT'],
  IN_REVIEW: ['PUBLISHED', 'CHANGES_REQUESTED', 'REJECTED'],
  CHANGES_REQUESTED: ['SUBMITTED', 'DELETED'],
  REJECTED: ['DELETED'],
  PUBLISHED: ['TAKEN_DOWN', 'DELETED'],
  TAKEN_DOWN: ['PUBLISHED', 'DELETED'],
  DELETED: [],
}

export function canTransition(from: ResourceStatus, to: ResourceStatus) {
  return ALLOWED[from].includes(to)
}

/** Moves a resource from `from` to `to`, atomically: a concurrent change makes this throw. */
export async function transition(
  tx: Tx,
  resourceId: string,
  from: ResourceStatus,
  to: ResourceStatus,
  extra: { duplicateOfId?: string; publishedAt?: Date; scopePlatformId?: string; takedownReason?: string | null } = {},
) {
  if (!canTransition(from, to)) throw conflict('resource.error.badTransition')
  const { count } = await tx.resource.updateMany({
    where: { id: resourceId, status: from },
    data: { status: to, ...extra },
  })
  if (count !== 1) throw conflict('resource.error.changedMeanwhile')
}
