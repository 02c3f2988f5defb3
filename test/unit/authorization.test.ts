import { describe, expect, it } from 'vitest'
import { can, canGrantRole, POLICY, type Action, type Actor } from '~/services/authorization.server.ts'

// province P ─ city C1 ─ county K1 ─ school S1 ; county K2 (sibling of K1) ; city C2
const P = { id: 'P', path: 'P' }
const C1 = { id: 'C1', path: 'P/C1' }
const C2 = { id: 'C2', path: 'P/C2' }
const K1 = { id: 'K1', path: 'P/C1/K1' }
const K2 = { id: 'K2', path: 'P/C1/K2' }
const S1 = { id: 'S1', path: 'P/C1/K1/S1' }
const K1x = { id: 'K1x', path: 'P/C1/K1x' } // id sharing a prefix with K1 must not count as inside it
const ALL = { P, C1, C2, K1, K2, S1, K1x }

const actor = (role: Actor['roles'][number]['role'], on: { id: string; path: string }): Actor => ({
  userId: 'u',
  displayName: 'u',
  roles: [{ role, platformId: on.id, platformPath: on.path }],
})

function allowed(a: Actor, action: Action) {
  return Object.entries(ALL)
    .filter(([, p]) => can(a, action, p))
    .map(([n]) => n)
    .sort()
}

describe('authorisation', () => {
  it('nobody signed in can do anything that needs a role', () => {
    for (const action of Object.keys(POLICY) as Action[]) expect(can(null, action, K1)).toBe(false)
  })
  it('a county admin administers its county and what is below it, nothing beside or above', () => {
    expect(allowed(actor('PLATFORM_ADMIN', K1), 'platform.admin')).toEqual(['K1', 'S1'])
  })
  it('a city admin reaches its counties and schools', () => {
    expect(allowed(actor('PLATFORM_ADMIN', C1), 'platform.admin')).toEqual(['C1', 'K1', 'K1x', 'K2', 'S1'])
  })
  it('the province admin reaches every platform', () => {
    expect(allowed(actor('PROVINCE_ADMIN', P), 'platform.admin')).toEqual(Object.keys(ALL).sort())
  })
  it('a teacher uploads to its own platform only, and administers nothing', () => {
    expect(allowed(actor('TEACHER', K1), 'resource.upload')).toEqual(['K1'])
    expect(allowed(actor('TEACHER', K1), 'platform.admin')).toEqual([])
    expect(allowed(actor('TEACHER', K1), 'platform.members.read')).toEqual([])
  })
  it("a reviewer reviews its own platform's queue only (upward recommendation is a separate record)", () => {
    expect(allowed(actor('REVIEWER', C1), 'review.queue')).toEqual(['C1'])
  })
  it('the regulator reads audit trails below it but administers nothing', () => {
    expect(allowed(actor('REGULATOR', P), 'platform.audit.read')).toEqual(Object.keys(ALL).sort())
    expect(allowed(actor('REGULATOR', P), 'platform.branding.update')).toEqual([])
  })
  it('only province admins hand out marketplace and province roles', () => {
    expect(canGrantRole(actor('PLATFORM_ADMIN', K1), 'REVIEWER', K1)).toBe(true)
    expect(canGrantRole(actor('PLATFORM_ADMIN', K1), 'REGULATOR', K1)).toBe(false)
    expect(canGrantRole(actor('PLATFORM_ADMIN', C1), 'PROVINCE_ADMIN', K1)).toBe(false)
    expect(canGrantRole(actor('PROVINCE_ADMIN', P), 'REGULATOR', K1)).toBe(true)
    expect(canGrantRole(actor('PLATFORM_ADMIN', K1), 'REVIEWER', K2)).toBe(false)
  })
})
