/**
 * The audit entries that sign-in unlocking and teacher certification write. AuditAction in
 * app/services/audit.server.ts does not list these names yet (that file is outside the auth
 * area); until it does, they pass through here, the one place that widens the type.
 */
import type { Tx } from '~/lib/db.server.ts'
import { writeAudit, type AuditAction, type AuditEntry } from '../audit.server.ts'

export type AuthAuditAction =
  /** An unlock code was sent to an account's phone or e-mail. */
  | 'auth.unlock_request'
  /** The owner lifted the sign-in lock of the account from one IP with that code. */
  | 'auth.unlock'
  /** A member asked for 教师认证 on a platform. */
  | 'role.request'
  /** An admin declined it (a confirmation is a `role.grant`). */
  | 'role.decline'

export function writeAuthAudit(entry: Omit<AuditEntry, 'action'> & { action: AuditAction | AuthAuditAction }, db?: Tx) {
  return writeAudit(entry as AuditEntry, db)
}
