/**
 * Masked contact details, as lists and the audit trail show them (who may see a number in full:
 * app/services/platform/members.server.ts, ADR 0016):
 *   13800000033        → 138****0033
 *   wang.fang@hnedu.cn → w***@hnedu.cn
 */
export function maskPhone(phone: string) {
  const d = phone.replace(/\D/g, '')
  if (d.length < 7) return '*'.repeat(d.length)
  return `${d.slice(0, 3)}****${d.slice(-4)}`
}

export function maskEmail(email: string) {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${email[0]}***${email.slice(at)}`
}

/** Either kind: an e-mail address when it has an @, else a phone number. */
export function maskContact(v: string) {
  return v.includes('@') ? maskEmail(v) : maskPhone(v)
}
