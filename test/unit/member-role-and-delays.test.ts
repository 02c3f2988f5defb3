import { describe, expect, it } from 'vitest'
import { env } from '~/lib/env.server.ts'
import { can, POLICY, type Action, type Actor } from '~/services/authorization.server.ts'
import { ipDelaySeconds, ipFreeFailures } from '~/services/auth/sign-in-throttle.server.ts'

const K1 = { id: 'K1', path: 'P/C1/K1' }
const member: Actor = {
  userId: 'u',
  displayName: 'u',
  roles: [{ role: 'MEMBER', platformId: 'K1', platformPath: K1.path }],
}

describe('the MEMBER role (self-registration)', () => {
  it('opens no permission at all: no upload, no review, no administration, even on its own platform', () => {
    const allowed = (Object.keys(POLICY) as Action[]).filter((a) => can(member, a, K1))
    expect(allowed).toEqual([])
    expect(can(member, 'resource.upload', K1)).toBe(false)
  })
})

describe('the per-IP sign-in delays', () => {
  it('start after twice SIGNIN_MAX_FAILURES failures and double from one second, capped at five minutes', () => {
    expect(ipFreeFailures()).toBe(2 * env().SIGNIN_MAX_FAILURES)
    expect([1, 2, 3, 4, 5, 6].map(ipDelaySeconds)).toEqual([1, 2, 4, 8, 16, 32])
    expect(ipDelaySeconds(10)).toBe(Math.min(300, env().SIGNIN_WINDOW_SECONDS))
    expect(ipDelaySeconds(1000)).toBe(Math.min(300, env().SIGNIN_WINDOW_SECONDS))
  })
})
