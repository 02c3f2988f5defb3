import { prisma, type Prisma, type Tx } from '~/lib/db.server.ts'

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_in_throttled'
  | 'auth.sign_out'
  | 'auth.register'
  | 'auth.password_change'
  | 'auth.password_reset_request'
  | 'auth.password_reset'
  /** An unlock code was sent to an account's phone or e-mail (ADR 0015). */
  | 'auth.unlock_request'
  /** The owner lifted the sign-in lock of the account from one address with that code. */
  | 'auth.unlock'
  | 'role.grant'
  | 'role.revoke'
  /** A member asked for 教师认证 on a platform; a confirmation is a `role.grant`. */
  | 'role.request'
  | 'role.decline'
  /** An admin who manages the account revealed its full phone number or e-mail (masked elsewhere). */
  | 'user.contact_reveal'
  | 'user.disable'
  | 'user.enable'
  | 'platform.update'
  | 'resource.upload_start'
  | 'resource.update'
  | 'resource.delete'
  | 'resource.processing_retry'
  | 'resource.publish'
  | 'comment.create'
  | 'comment.report'
  | 'comment.hide'
  | 'comment.keep'
  | 'review.submit'
  | 'review.resubmit'
  /** The submitter took a submission back before a reviewer claimed it. */
  | 'review.withdraw'
  | 'review.claim'
  | 'review.assign'
  | 'review.decide'
  | 'review.settle'
  | 'review.recommend'
  | 'resource.takedown'
  | 'resource.restore'
  | 'featured.select'
  | 'featured.arrange'
  | 'resource.report'
  | 'resource.report_handled'
  | 'featured.push'
  // The marketplace (ADR 0017).
  | 'market.offer_set'
  | 'market.offer_retire'
  | 'market.checkout'
  | 'market.order_paid'
  | 'market.order_failed'
  | 'market.refund'
  | 'market.dispute'
  | 'market.seat_assign'
  | 'market.seat_reclaim'
  | 'market.fee_rate'
  | 'market.invoice_request'
  | 'market.invoice_issue'
  | 'market.provider_onboard'

export type AuditEntry = {
  action: AuditAction
  actorId?: string | null
  platformId?: string | null
  targetType?: string
  targetId?: string
  ip?: string | null
  requestId?: string | null
  data?: Prisma.InputJsonValue
}

/** Appends to the audit log, inside the caller's transaction when given one so that the
 * entry and the change it records commit together. The table refuses updates and deletes. */
export async function writeAudit(entry: AuditEntry, db: Tx = prisma) {
  await db.auditLog.create({ data: { ...entry, actorId: entry.actorId ?? null, platformId: entry.platformId ?? null } })
}
