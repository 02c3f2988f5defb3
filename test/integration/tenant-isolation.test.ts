import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { grantRole, setUserStatus } from '~/services/platform/manage-roles.server.ts'
import { listAuditLog, listPlatformMembers } from '~/services/platform/read-platform-admin.server.ts'
import { updatePlatformBranding } from '~/services/platform/update-platform-branding.server.ts'
import { actorByPhone, PHONES, platformBySlug, seedDemo, outcomeOf } from '../factories/index.ts'

const branding = { name: '被篡改的平台', bannerText: '', primaryColor: '#000000', accentColor: '#ffffff', logoUrl: '' }

describe("a county's private data stays with that county", () => {
  beforeAll(seedDemo)

  it("a Liling teacher cannot read or change Changsha County's private data", async () => {
    const teacher = await actorByPhone(PHONES.lilingTeacher)
    const csx = await platformBySlug('changshaxian')
    expect(await outcomeOf(listPlatformMembers(teacher, csx.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(listAuditLog(teacher, csx.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(updatePlatformBranding(teacher, csx.id, branding))).toBe('FORBIDDEN')
    expect(
      await outcomeOf(
        grantRole(teacher, { platformId: csx.id, identifier: PHONES.lilingTeacher, role: 'PLATFORM_ADMIN' }),
      ),
    ).toBe('FORBIDDEN')
    const csxTeacher = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.changshaxianTeacher } })
    expect(await outcomeOf(setUserStatus(teacher, { userId: csxTeacher.id, status: 'DISABLED' }))).toBe('FORBIDDEN')
    // Nothing changed.
    expect((await prisma.platform.findUniqueOrThrow({ where: { id: csx.id } })).name).toBe('长沙县教育资源平台')
    expect((await prisma.user.findUniqueOrThrow({ where: { id: csxTeacher.id } })).status).toBe('ACTIVE')
    expect(await prisma.roleAssignment.count({ where: { platformId: csx.id, role: 'PLATFORM_ADMIN' } })).toBe(0)
  })

  it("a Liling teacher cannot read Liling's own admin data either (it is not an admin)", async () => {
    const teacher = await actorByPhone(PHONES.lilingTeacher)
    const liling = await platformBySlug('liling')
    expect(await outcomeOf(listPlatformMembers(teacher, liling.id))).toBe('FORBIDDEN')
  })

  it('a county admin administers its own county only: not a sibling, not its parent city', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const [liling, youxian, zhuzhou, csx] = await Promise.all(
      ['liling', 'youxian', 'zhuzhou', 'changshaxian'].map(platformBySlug),
    )
    expect(await outcomeOf(listPlatformMembers(admin, liling!.id))).toBe('OK')
    expect(await outcomeOf(listPlatformMembers(admin, youxian!.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(listPlatformMembers(admin, zhuzhou!.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(updatePlatformBranding(admin, csx!.id, branding))).toBe('FORBIDDEN')
    const members = await listPlatformMembers(admin, liling!.id)
    expect(members.map((m) => m.phone)).toContain(PHONES.lilingTeacher)
    expect(members.map((m) => m.phone)).not.toContain(PHONES.changshaxianTeacher)
  })

  it('a city admin reaches its counties; the province admin reaches everything', async () => {
    const cityAdmin = await actorByPhone(PHONES.changshaAdmin)
    const provAdmin = await actorByPhone(PHONES.provinceAdmin)
    const [csx, liling] = await Promise.all(['changshaxian', 'liling'].map(platformBySlug))
    expect(await outcomeOf(listPlatformMembers(cityAdmin, csx!.id))).toBe('OK')
    expect(await outcomeOf(listPlatformMembers(cityAdmin, liling!.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(listPlatformMembers(provAdmin, liling!.id))).toBe('OK')
  })

  it('a county admin cannot appoint marketplace or province roles', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    for (const role of ['REGULATOR', 'TRADING_OPERATOR', 'PROVINCE_ADMIN'])
      expect(
        await outcomeOf(grantRole(admin, { platformId: liling.id, identifier: PHONES.lilingTeacher2, role })),
      ).toBe('VALIDATION')
    expect(
      await outcomeOf(grantRole(admin, { platformId: liling.id, identifier: PHONES.lilingTeacher2, role: 'REVIEWER' })),
    ).toBe('OK')
  })

  it('the regulator reads the audit trail but cannot change anything', async () => {
    const reg = await actorByPhone(PHONES.regulator)
    const liling = await platformBySlug('liling')
    expect(await outcomeOf(listAuditLog(reg, liling.id, { includeDescendants: true }))).toBe('OK')
    expect(await outcomeOf(updatePlatformBranding(reg, liling.id, branding))).toBe('FORBIDDEN')
  })

  it("over HTTP: another platform's admin page answers 403 with the Chinese error page", async () => {
    const { startTestServer, Browser } = await import('../factories/http.ts')
    const server = await startTestServer()
    try {
      const b = new Browser(server.base)
      expect((await b.signIn('liling', PHONES.lilingTeacher, 'Hunan2026')).status).toBe(302)
      const res = await b.get('/p/changshaxian/admin')
      expect(res.status).toBe(403)
      const html = await res.text()
      expect(html).toContain('没有访问权限')
      expect(html).not.toContain('卫红') // the county's member list is not in the page
    } finally {
      await server.close()
    }
  })
})
