/** Users sign in with a mainland mobile number or an e-mail address. */
export type Identifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string }

export function parseIdentifier(raw: string): Identifier | null {
  const s = raw.trim()
  const digits = s.replace(/[\s-]/g, '').replace(/^\+?86/, '')
  if (/^1[3-9]\d{9}$/.test(digits)) return { kind: 'phone', value: digits }
  if (s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return { kind: 'email', value: s.toLowerCase() }
  return null
}

export function identifierWhere(id: Identifier) {
  return id.kind === 'phone' ? { phone: id.value } : { email: id.value }
}
