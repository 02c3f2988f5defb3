/**
 * The admins' services (issue 10): bulk takedown and restore as loops of the one-resource
 * services with per-item results and one audit entry each; the audit trail in words (names,
 * titles, "field: before → after", Beijing time); who may grant which roles; masked contacts,
 * searched and paged; the logo check (content sniffing, size, pixel flood, re-encoding); the
 * footer's ICP number.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { beijingDayStart, formatDate, formatDateTime } from '~/lib/dates.ts'
import { isAppError } from '~/lib/errors.ts'
import { zhCN } from '~/lib/i18n/zh-CN.ts'
import { en } from '~/lib/i18n/en.ts'
import { ROLES } from '~/lib/roles.ts'
import { queryAuditLog, auditCsv } from '~/services/platform/audit-query.server.ts'
import { maskEmail, maskPhone } from '~/services/platform/contact-mask.ts'
import { bulkRestore, bulkTakedown, listManagedResources } from '~/services/platform/manage-resources.server.ts'
import { grantableRoles, grantRole } from '~/services/platform/manage-roles.server.ts'
import { revealMemberContact, searchPlatformMembers } from '~/services/platform/members.server.ts'
import {
  processLogo,
  updatePlatformBranding,
  updatePlatformFooter,
  updatePlatformLogo,
} from '~/services/platform/update-platform-branding.server.ts'
import { readCurrentLogo } from '~/services/platform/platform-logo.server.ts'
import { getPlatformFooter } from '~/services/platform/platform-footer.server.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { actorByPhone, outcomeOf, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'
import { mediaResource } from '../factories/media-fixture.ts'

/** The code and message key of the application error a call threw. */
async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    if (isAppError(e)) return { code: e.code, key: e.messageKey }
    throw e
  }
  throw new Error('expected the call to be refused')
}

beforeAll(async () => {
  await generateFixtures()
  await seedDemo()
})

describe('dates: one helper, Beijing time', () => {
  it('formats an instant in UTC+8 whatever the machine, and reads a Beijing day', () => {
    const at = new Date(Date.UTC(2026, 11, 1, 16, 5, 32)) // 16:05 UTC = 00:05 the next day in Beijing
    expect(formatDateTime(at)).toBe('2026-12-02 00:05')
    expect(formatDateTime(at, { seconds: true })).toBe('2026-12-02 00:05:32')
    expect(formatDate(at.toISOString())).toBe('2026-12-02')
    expect(formatDateTime('not a date')).toBe('')
    expect(beijingDayStart('2026-12-02')!.toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(beijingDayStart('2026-02-30')).toBeNull()
    expect(beijingDayStart('2026-1-2')).toBeNull()
  })
})

describe('bulk takedown and restore', () => {
  it('takes down each selected resource with one reason, audits each, and reports per item', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    const a = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '批量下架甲 勾股定理',
      kind: 'DOCUMENT',
    })
    const b = await mediaResource({
      phone: PHONES.lilingTeacher2,
      slug: 'liling',
      title: '批量下架乙 一次函数',
      kind: 'VIDEO',
    })
    const draft = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '批量下架丙 草稿',
      kind: 'DOCUMENT',
      status: 'DRAFT',
    })
    const elsewhere = await mediaResource({
      phone: PHONES.xiangtanxianTeacher,
      slug: 'xiangtanxian',
      title: '湘潭县的资源',
      kind: 'DOCUMENT',
    })
    const before = await prisma.auditLog.count({ where: { action: 'resource.takedown' } })

    const result = await bulkTakedown(
      admin,
      liling.id,
      { ids: [a.id, b.id, draft.id, elsewhere.id, a.id], reason: 'COPYRIGHT', note: '权利人投诉' },
      { requestId: 'bulk-test-1' },
    )
    expect(result.done).toBe(2)
    expect(result.failed).toBe(2)
    expect(result.items).toEqual([
      { id: a.id, title: a.title, ok: true },
      { id: b.id, title: b.title, ok: true },
      { id: draft.id, title: draft.title, ok: false, error: 'admin.resources.error.notPublished' },
      // Another county's resource is never acted on from this platform, whatever its id.
      { id: elsewhere.id, title: null, ok: false, error: 'admin.resources.error.notHere' },
    ])
    const rows = await prisma.resource.findMany({
      where: { id: { in: [a.id, b.id, draft.id, elsewhere.id] } },
      select: { id: true, status: true, takedownReason: true },
    })
    const status = Object.fromEntries(rows.map((r) => [r.id, `${r.status}:${r.takedownReason ?? ''}`]))
    expect(status).toEqual({
      [a.id]: 'TAKEN_DOWN:COPYRIGHT',
      [b.id]: 'TAKEN_DOWN:COPYRIGHT',
      [draft.id]: 'DRAFT:',
      [elsewhere.id]: 'PUBLISHED:',
    })
    // One audit entry per resource taken down, by the same service as a single takedown.
    const entries = await prisma.auditLog.findMany({
      where: { action: 'resource.takedown', requestId: 'bulk-test-1' },
      orderBy: { id: 'asc' },
    })
    expect(entries.map((e) => e.targetId)).toEqual([a.id, b.id])
    expect(entries.map((e) => e.data)).toEqual([
      { reason: 'COPYRIGHT', note: '权利人投诉' },
      { reason: 'COPYRIGHT', note: '权利人投诉' },
    ])
    expect(await prisma.auditLog.count({ where: { action: 'resource.takedown' } })).toBe(before + 2)

    // Restore one: the other stays down.
    const restored = await bulkRestore(admin, liling.id, { ids: [a.id] }, { requestId: 'bulk-test-2' })
    expect(restored).toEqual({ done: 1, failed: 0, items: [{ id: a.id, title: a.title, ok: true }] })
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('PUBLISHED')
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('TAKEN_DOWN')
    const again = await bulkRestore(admin, liling.id, { ids: [a.id] })
    expect(again.items[0]).toMatchObject({ ok: false, error: 'admin.resources.error.notTakenDown' })

    // The trail in words: the action's name, the resource's title linked to its page, the reason by name.
    const trail = await queryAuditLog(admin, liling.id, { group: 'resource' })
    const down = trail.rows.find((r) => r.action === 'resource.takedown' && r.targetId === b.id)!
    expect(down.actionName).toBe('下架')
    expect(down.actorName).toBe('郑丽')
    expect(down.target).toEqual({
      label: b.title,
      link: { slug: 'liling', domain: 'liling.localhost', path: `/r/${b.id}` },
    })
    expect(down.details).toEqual(['原因: 侵犯版权', '说明: 权利人投诉'])
    expect(down.time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(down.time).toBe(formatDateTime(down.at, { seconds: true }))
    const up = trail.rows.find((r) => r.action === 'resource.restore' && r.targetId === a.id)!
    expect(up.actionName).toBe('恢复上架')
    expect(up.target?.label).toBe(a.title)
    // The same words in English.
    const trailEn = await queryAuditLog(admin, liling.id, { group: 'resource' }, 50, 'en')
    expect(trailEn.rows.find((r) => r.action === 'resource.takedown' && r.targetId === b.id)!.details[0]).toBe(
      `Reason: ${en['review.takedown.COPYRIGHT']}`,
    )
    // …and in the CSV.
    let csv = ''
    for await (const chunk of auditCsv(admin, liling.id, { group: 'resource' }, ['a']))
      if (chunk.includes(b.title)) csv += chunk
    expect(csv).toContain(`"下架","郑丽"`)
    expect(csv).toContain(`"资源","${b.title}","${b.id}"`)
    expect(csv).toContain('"原因: 侵犯版权；说明: 权利人投诉"')
  })

  it('refuses a reason that does not exist before changing anything, and an empty selection', async () => {
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '原因无效的下架',
      kind: 'DOCUMENT',
    })
    expect(await refusal(bulkTakedown(admin, liling.id, { ids: [r.id], reason: 'BECAUSE' }))).toMatchObject({
      code: 'VALIDATION',
    })
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('PUBLISHED')
    expect(await refusal(bulkTakedown(admin, liling.id, { ids: [], reason: 'OTHER' }))).toEqual({
      code: 'VALIDATION',
      key: 'admin.resources.error.noneSelected',
    })
  })

  it("lists the platform's and its sub-platforms' resources, filtered, for admins only", async () => {
    const liling = await platformBySlug('liling')
    const zhuzhou = await platformBySlug('zhuzhou')
    const lilingAdmin = await actorByPhone(PHONES.lilingAdmin)
    await mediaResource({ phone: PHONES.lilingTeacher, slug: 'liling', title: '筛选用 勾股定理微课', kind: 'VIDEO' })
    const list = await listManagedResources(lilingAdmin, liling.id, { q: '筛选用', type: 'MICRO_LECTURE' })
    expect(list.rows.map((r) => r.title)).toEqual(['筛选用 勾股定理微课'])
    expect(list.rows[0]!.ownerName).toBe('陈晓梅')
    const byUploader = await listManagedResources(lilingAdmin, liling.id, { uploader: '褚明' })
    expect(byUploader.rows.length).toBeGreaterThan(0)
    expect(byUploader.rows.every((r) => r.ownerName === '褚明')).toBe(true)
    const down = await listManagedResources(lilingAdmin, liling.id, { status: 'TAKEN_DOWN' })
    expect(down.rows.every((r) => r.status === 'TAKEN_DOWN')).toBe(true)
    expect(list.schools).toContain('醴陵市第一中学')
    const bySchool = await listManagedResources(lilingAdmin, liling.id, { school: '醴陵市第一中学' })
    expect(bySchool.total).toBeGreaterThan(0)
    // The city's admin reaches it through its county; a county admin does not reach the city.
    const provinceAdmin = await actorByPhone(PHONES.provinceAdmin)
    expect((await listManagedResources(provinceAdmin, zhuzhou.id, { q: '筛选用' })).total).toBe(1)
    expect(await outcomeOf(listManagedResources(lilingAdmin, zhuzhou.id, {}))).toBe('FORBIDDEN')
    expect(await outcomeOf(listManagedResources(await actorByPhone(PHONES.lilingTeacher), liling.id, {}))).toBe(
      'FORBIDDEN',
    )
    expect(await outcomeOf(listManagedResources(await actorByPhone(PHONES.lilingReviewer), liling.id, {}))).toBe(
      'FORBIDDEN',
    )
  })
})

describe('the audit trail in words', () => {
  it('names every action, shows changes as "field: before → after" and roles by their names', async () => {
    for (const key of Object.keys(zhCN).filter((k) => k.startsWith('audit.') && !k.includes('group.')))
      expect(en[key as keyof typeof en], key).toBeTruthy()
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const liling = await platformBySlug('liling')
    await updatePlatformBranding(admin, liling.id, {
      name: '醴陵市教育资源平台',
      bannerText: '醴陵市 · 瓷城教育资源共建共享',
      primaryColor: '#0E7490',
      accentColor: '#fbbf24',
    })
    await grantRole(admin, { platformId: liling.id, identifier: PHONES.lilingTeacher2, role: 'REVIEWER' })
    const { rows } = await queryAuditLog(admin, liling.id, { group: 'platform' })
    const change = rows.find((r) => r.action === 'platform.update' && r.details.some((d) => d.startsWith('主色')))!
    expect(change.actionName).toBe('修改平台')
    expect(change.details).toEqual(['主色: #047857 → #0e7490'])
    expect(change.target).toEqual({
      label: '醴陵市教育资源平台',
      link: { slug: 'liling', domain: 'liling.localhost', path: '' },
    })
    const roles = await queryAuditLog(admin, liling.id, { group: 'role' })
    const grant = roles.rows.find((r) => r.action === 'role.grant')!
    expect(grant.actionName).toBe('授予角色')
    expect(grant.target?.label).toBe('褚明')
    expect(grant.details).toEqual(['角色: 审核员'])
  })

  it('masks phone numbers in the words and in the raw data of a failed sign-in', async () => {
    const liling = await platformBySlug('liling')
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingTeacher } })
    await prisma.auditLog.create({
      data: {
        action: 'auth.sign_in_failed',
        platformId: liling.id,
        actorId: user.id,
        data: { account: `phone:${PHONES.lilingTeacher}` },
      },
    })
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const row = (await queryAuditLog(admin, liling.id, { group: 'auth' })).rows.find(
      (r) => r.action === 'auth.sign_in_failed',
    )!
    expect(row.actionName).toBe('登录失败')
    expect(row.details).toEqual(['账号: 138****0033'])
    expect(row.data).toBe('{"account":"phone:138****0033"}')
  })
})

describe('roles an admin may grant', () => {
  it('the form offers exactly the roles the service accepts', async () => {
    const liling = await platformBySlug('liling')
    const county = await actorByPhone(PHONES.lilingAdmin)
    const province = await actorByPhone(PHONES.provinceAdmin)
    const teacher = await actorByPhone(PHONES.lilingTeacher)
    const offered = grantableRoles(county, liling)
    expect(offered).not.toContain('PROVINCE_ADMIN')
    expect(offered).not.toContain('REGULATOR')
    expect(offered).not.toContain('TRADING_OPERATOR')
    expect(offered).toContain('REVIEWER')
    expect(grantableRoles(province, liling)).toEqual([...ROLES])
    expect(grantableRoles(teacher, liling)).toEqual([])
    expect(grantableRoles(null, liling)).toEqual([])
    // A new account to grant to, so that no demo user's roles change for the tests below.
    await prisma.user.create({
      data: { displayName: '授权测试', phone: '13900009999', passwordHash: 'x', homePlatformId: liling.id },
    })
    for (const role of ROLES) {
      const outcome = await outcomeOf(grantRole(county, { platformId: liling.id, identifier: '13900009999', role }))
      expect(outcome, role).toBe(offered.includes(role) ? 'OK' : 'VALIDATION')
    }
  })
})

describe('members: searched, paged, contacts masked', () => {
  it('masks phone numbers and e-mail addresses', () => {
    expect(maskPhone('13800000033')).toBe('138****0033')
    expect(maskEmail('wang.fang@hnedu.cn')).toBe('w***@hnedu.cn')
  })

  it('never sends a full number in the list; finds by name or full number only; pages by 20', async () => {
    const liling = await platformBySlug('liling')
    const admin = await actorByPhone(PHONES.lilingAdmin)
    await prisma.user.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        displayName: `分页测试教师${String(i).padStart(2, '0')}`,
        phone: `1390000${String(1000 + i)}`,
        passwordHash: 'x',
        homePlatformId: liling.id,
      })),
    })
    const first = await searchPlatformMembers(admin, liling.id, {})
    expect(first.rows).toHaveLength(20)
    expect(first.pages).toBe(Math.ceil(first.total / 20))
    expect(JSON.stringify(first)).not.toMatch(/1[3-9]\d{9}/)
    const chen = (await searchPlatformMembers(admin, liling.id, { q: '陈晓梅' })).rows
    expect(chen.map((m) => [m.displayName, m.contact, m.canReveal])).toEqual([['陈晓梅', '138****0033', true]])
    expect(
      (await searchPlatformMembers(admin, liling.id, { q: PHONES.lilingTeacher })).rows.map((m) => m.displayName),
    ).toEqual(['陈晓梅'])
    // A fragment of a number finds nothing (it would unmask the list digit by digit).
    expect((await searchPlatformMembers(admin, liling.id, { q: '0033' })).total).toBe(0)
    const page1 = await searchPlatformMembers(admin, liling.id, { q: '分页测试' })
    const page2 = await searchPlatformMembers(admin, liling.id, { q: '分页测试', page: 2 })
    expect([page1.total, page1.pages, page1.rows.length, page2.rows.length]).toEqual([25, 2, 20, 5])
    const names = [...page1.rows, ...page2.rows].map((m) => m.displayName).sort()
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `分页测试教师${String(i).padStart(2, '0')}`))
    const reviewers = await searchPlatformMembers(admin, liling.id, { role: 'REVIEWER' })
    expect(reviewers.rows.every((m) => m.roles.some((r) => r.role === 'REVIEWER'))).toBe(true)
  })

  it('reveals one contact to the admins who manage the account, not to a platform where they merely hold a role', async () => {
    const liling = await platformBySlug('liling')
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const province = await actorByPhone(PHONES.provinceAdmin)
    const chen = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingTeacher } })
    expect(await revealMemberContact(admin, liling.id, chen.id)).toMatchObject({ phone: PHONES.lilingTeacher })
    expect(await revealMemberContact(province, liling.id, chen.id)).toMatchObject({ phone: PHONES.lilingTeacher })
    // A Xiangtan County teacher who reviews for Liling: Liling's admin sees the masked number only.
    const guest = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.xiangtanxianTeacher } })
    await prisma.roleAssignment.create({ data: { userId: guest.id, platformId: liling.id, role: 'REVIEWER' } })
    const row = (await searchPlatformMembers(admin, liling.id, { q: '蒋涛' })).rows[0]!
    expect(row).toMatchObject({ contact: '138****0041', canReveal: false, canChangeStatus: false })
    expect(row.homePlatformName).toBe('湘潭县教育资源平台')
    expect(await outcomeOf(revealMemberContact(admin, liling.id, guest.id))).toBe('FORBIDDEN')
    expect(await outcomeOf(revealMemberContact(await actorByPhone(PHONES.lilingTeacher2), liling.id, chen.id))).toBe(
      'FORBIDDEN',
    )
  })
})

describe('the logo', () => {
  const zh = (key: string) => zhCN[key as keyof typeof zhCN]

  it('refuses a renamed executable and a pixel flood with a Chinese reason, before decoding', async () => {
    const exe = fs.readFileSync(path.join(FIXTURES, 'bad-executable.mp4'))
    const e1 = await refusal(processLogo(exe))
    expect(e1).toEqual({ code: 'VALIDATION', key: 'admin.logo.error.notImage' })
    expect(zh(e1.key)).toMatch(/这不是图片文件/)
    // The same bytes an SVG would be: text is not an image here either.
    expect((await refusal(processLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).key).toBe(
      'admin.logo.error.notImage',
    )
    const flood = fs.readFileSync(path.join(FIXTURES, 'bad-pixel-flood.png'))
    const started = Date.now()
    const e2 = await refusal(processLogo(flood))
    expect(e2).toEqual({ code: 'VALIDATION', key: 'admin.logo.error.pixelFlood' })
    expect(zh(e2.key)).toMatch(/像素尺寸过大/)
    expect(Date.now() - started).toBeLessThan(2_000) // refused from the header, not by decoding 10¹⁰ pixels
    const big = Buffer.concat([Buffer.from('89504E470D0A1A0A', 'hex'), Buffer.alloc(600 * 1024)])
    expect((await refusal(processLogo(big))).key).toBe('admin.logo.error.tooLarge')
    expect((await refusal(processLogo(Buffer.alloc(0)))).key).toBe('admin.logo.error.empty')
    const truncated = (
      await sharp({ create: { width: 300, height: 300, channels: 3, background: '#047857' } })
        .png()
        .toBuffer()
    ).subarray(0, 60)
    expect((await refusal(processLogo(truncated))).key).toBe('admin.logo.error.corrupt')
  })

  it('stores a small WebP made from the upload, serves only the current one, and audits the change', async () => {
    const liling = await platformBySlug('liling')
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const png = await sharp({ create: { width: 1200, height: 400, channels: 4, background: '#b91c1c' } })
      .png()
      .toBuffer()
    const { logoUrl } = await updatePlatformLogo(admin, liling.id, png)
    expect(logoUrl).toMatch(/^\/p\/liling\/logo\/[a-f0-9]{16}\.webp$/)
    const platform = await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })
    expect(platform.logoUrl).toBe(logoUrl)
    const file = logoUrl!.split('/').pop()!
    const served = await readCurrentLogo(platform, file)
    const meta = await sharp(served!.bytes).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 360, 120])
    expect(await readCurrentLogo(platform, 'ffffffffffffffff.webp')).toBeNull()
    // A second logo replaces the first: the old address stops.
    const jpeg = fs.readFileSync(path.join(FIXTURES, 'photo-gps.jpg'))
    const second = await updatePlatformLogo(admin, liling.id, jpeg)
    const now = await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })
    expect(await readCurrentLogo(now, file)).toBeNull()
    expect(await readCurrentLogo(now, second.logoUrl!.split('/').pop()!)).not.toBeNull()
    const { rows } = await queryAuditLog(admin, liling.id, { group: 'platform' })
    expect(rows[0]!.details).toEqual(['平台标志: 已上传的图片 → 已上传的图片'])
    expect(await outcomeOf(updatePlatformLogo(await actorByPhone(PHONES.lilingTeacher), liling.id, png))).toBe(
      'FORBIDDEN',
    )
  })
})

describe('the footer', () => {
  it('accepts ICP numbers as MIIT writes them and refuses anything else', async () => {
    const liling = await platformBySlug('liling')
    const admin = await actorByPhone(PHONES.lilingAdmin)
    const set = (icpNumber: string) =>
      updatePlatformFooter(admin, liling.id, { hostUnit: '醴陵市教育局', contact: '0731-23211365', icpNumber })
    for (const ok of ['湘ICP备12345678号', '湘ICP备12345678号-1', '湘ICP备2021012851号-12', '']) {
      await set(ok)
      expect((await prisma.platform.findUniqueOrThrow({ where: { id: liling.id } })).icpNumber).toBe(ok || null)
    }
    // What people type: full-width digits and hyphen, spaces.
    await set(' 湘ICP备１２３４５６７８号－２ ')
    expect((await getPlatformFooter(liling.id)).icpNumber).toBe('湘ICP备12345678号-2')
    for (const bad of [
      'ICP备12345678号',
      '湘ICP12345678号',
      '湘ICP备123号',
      '湘ICP备12345678',
      'X湘ICP备12345678号',
      '<b>湘ICP备12345678号</b>',
    ]) {
      const e = await refusal(set(bad))
      expect(e.code, bad).toBe('VALIDATION')
    }
    const refused = await set('湘ICP证12345678号').then(
      () => null,
      (e: unknown) => e,
    )
    expect(isAppError(refused) && refused.fields.icpNumber).toBe('admin.footer.error.icp')
    expect(zhCN['admin.footer.error.icp']).toContain('湘ICP备12345678号')
    expect((await getPlatformFooter(liling.id)).icpNumber).toBe('湘ICP备12345678号-2')
    const { rows } = await queryAuditLog(admin, liling.id, { group: 'platform' })
    expect(rows[0]!.details).toEqual(['ICP备案号: （无） → 湘ICP备12345678号-2'])
  })
})

describe('the admin pages over HTTP', () => {
  it('render in Chinese and English with every string translated, and the CSV in words', async () => {
    const { Browser, startTestServer } = await import('../factories/http.ts')
    const server = await startTestServer()
    try {
      const b = new Browser(server.base)
      expect((await b.signIn('liling', PHONES.lilingAdmin, 'Hunan2026')).status).toBe(302)
      for (const locale of ['zh-CN', 'en'] as const) {
        b.cookies.set('erc_lng', locale)
        for (const path of ['/p/liling/admin', '/p/liling/admin/resources', '/p/liling/audit']) {
          const res = await b.get(path)
          expect(res.status, `${locale} ${path}`).toBe(200)
          const html = await res.text()
          // No message key shows as text (a key like admin.resources.title between tags or in an attribute).
          expect(html, `${locale} ${path}`).not.toMatch(/[>"](admin|audit)\.[a-zA-Z]+\.[a-zA-Z.]+[<"]/)
          // No full phone number in any of them.
          expect(html, `${locale} ${path}`).not.toContain(PHONES.lilingTeacher)
        }
      }
      b.cookies.set('erc_lng', 'zh-CN')
      const csv = await b.get('/p/liling/audit.csv?group=resource')
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      const text = await csv.text()
      expect(text.split('\r\n')[0]).toBe(
        '"编号","时间（北京时间）","操作","操作人","操作人 ID","平台","对象类型","对象","对象 ID","IP","详情","原始数据"',
      )
      expect(text).toMatch(/"\d+","\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}","下架","郑丽"/)
    } finally {
      await server.close()
    }
  })
})
