/**
 * The 醴陵 admin's first hour (issue 10): bulk-takes-down two published resources with one reason
 * after confirming, restores one, reads the audit entries in words (names, titles, Beijing time);
 * changes the colours with the picker (the preview follows) and uploads a logo, which the portal
 * then shows; sets the footer, whose ICP number every page shows. Desktop and phone screenshots
 * of the resource management page, the audit page, the members section and branding:
 * test-results/e2e/8x-*.png (desktop) and 9x-*.png (390×844).
 */
import pg from 'pg'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { formatDate } from '~/lib/dates.ts'
import { TEST } from '../setup/test-config.ts'
import path from 'node:path'
import { launch, shot, SHOTS, signIn, watchErrors, PHONE_VIEWPORT } from './browser.ts'

vi.setConfig({ testTimeout: 180_000 })
const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
/** Liling's look as the seed made it: the later e2e files check its colours. */
let saved: { platform: Record<string, unknown> } | null = null
const db = () => new pg.Client({ connectionString: `${TEST.pgBase}/${TEST.e2eDb}` })
beforeAll(async () => {
  browser = await launch()
  const c = db()
  await c.connect()
  const platform = (
    await c.query(
      `SELECT "primaryColor", "accentColor", "logoUrl", "icpNumber", "hostUnit", "contact" FROM "Platform" WHERE slug = 'liling'`,
    )
  ).rows[0] as Record<string, unknown>
  await c.end()
  saved = { platform }
})
afterAll(async () => {
  await browser?.close()
  if (!saved) return
  // Cleans up after itself, as a fixture should: the colours, logo and footer come back. The
  // resource it takes down and does not restore stays down, as the audit flow left it.
  const c = db()
  await c.connect()
  const p = saved.platform
  await c.query(
    `UPDATE "Platform" SET "primaryColor" = $1, "accentColor" = $2, "logoUrl" = $3, "icpNumber" = $4, "hostUnit" = $5, "contact" = $6 WHERE slug = 'liling'`,
    [p.primaryColor, p.accentColor, p.logoUrl, p.icpNumber, p.hostUnit, p.contact],
  )
  await c.end()
})

async function asAdmin(viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await ctx.newPage()
  const errors = watchErrors(page)
  await signIn(page, BASE, '13800000031')
  return { ctx, page, errors }
}

/** The titles of the rows checked in the resource table. */
async function check(page: Page, n: number) {
  const rows = page.getByTestId('managed-resource')
  const titles: string[] = []
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i)
    titles.push((await row.locator('.cell-title').textContent())!.trim())
    await row.locator('input[name="ids"]').check()
  }
  return titles
}

async function filterStatus(page: Page, label: string) {
  await page.getByTestId('resource-filters').getByLabel('状态').selectOption({ label })
  await page.getByTestId('resource-filters').getByRole('button', { name: '筛选' }).click()
  await page.waitForURL(/status=/)
}

describe('the admin: resources, audit, members, branding, footer', () => {
  it('takes two resources down after confirming, restores one, and reads the trail in words', async () => {
    const { ctx, page, errors } = await asAdmin()
    await page.goto(`${BASE}/p/liling/admin`)
    await Promise.all([page.waitForURL(/\/admin\/resources/), page.getByTestId('admin-resources-link').click()])
    await filterStatus(page, '已发布')
    expect(await page.getByTestId('managed-resource').count()).toBeGreaterThanOrEqual(2)
    await shot(page, '80-admin-resources')

    const titles = await check(page, 2)
    await page.getByTestId('bulk-reason').selectOption({ label: '侵犯版权' })
    await page.getByRole('button', { name: '下架所选' }).click()
    // A confirmation step in the page (not a browser dialog) names what will be taken down.
    const confirm = page.getByTestId('takedown-confirm')
    await confirm.waitFor()
    expect(await confirm.textContent()).toContain('确认下架这 2 个资源？')
    for (const t of titles) expect(await confirm.textContent()).toContain(t)
    expect(await confirm.textContent()).toContain('下架原因：侵犯版权')
    await shot(page, '81-admin-takedown-confirm')
    await page.getByTestId('confirm-takedown').click()
    const result = page.getByTestId('bulk-result')
    await result.waitFor()
    expect(await result.textContent()).toContain('已下架 2 个资源。')
    await shot(page, '82-admin-takedown-done')

    // Restore the first of them.
    await filterStatus(page, '已下架')
    const row = page.getByTestId('managed-resource').filter({ hasText: titles[0]! })
    await row.locator('input[name="ids"]').check()
    await page.getByRole('button', { name: '恢复所选' }).click()
    await page.getByTestId('bulk-result').filter({ hasText: '已恢复 1 个资源。' }).waitFor()

    // The audit trail, in words.
    await page.goto(`${BASE}/p/liling/audit?group=resource`)
    const rows = page.getByTestId('audit-row')
    const takedowns = rows.filter({ has: page.locator('[data-testid=audit-action]', { hasText: /^下架$/ }) })
    const restores = rows.filter({ has: page.locator('[data-testid=audit-action]', { hasText: /^恢复上架$/ }) })
    for (const t of titles) {
      const entry = takedowns.filter({ hasText: t }).first()
      expect(await entry.getByTestId('audit-target').textContent()).toContain(t)
      expect(await entry.getByTestId('audit-details').textContent()).toContain('原因: 侵犯版权')
      expect(await entry.textContent()).toContain('郑丽')
      // The object links to its page.
      expect(await entry.getByTestId('audit-target').locator('a').getAttribute('href')).toMatch(
        /^\/p\/[a-z0-9-]+\/r\/[a-z0-9]+$/,
      )
    }
    const restored = restores.filter({ hasText: titles[0]! }).first()
    await restored.waitFor()
    // Beijing time, one format: today's date in Beijing and the time to the second.
    const time = (await restored.getByTestId('audit-time').textContent())!
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(time.slice(0, 10)).toBe(formatDate(new Date()))
    expect(await page.textContent('body')).toContain('时间均为北京时间')
    await shot(page, '83-admin-audit')
    expect(errors.join('\n')).toBe('')
    await ctx.close()
  })

  it('members are masked and paged; the role list offers only what this admin may grant', async () => {
    const { ctx, page, errors } = await asAdmin()
    await page.goto(`${BASE}/p/liling/admin`)
    const members = page.getByTestId('members')
    await members.getByPlaceholder('姓名、学校，或完整的手机号、邮箱').fill('陈晓梅')
    await members.getByRole('button', { name: '筛选' }).click()
    await page.waitForURL(/q=/)
    const chen = page.getByTestId('member-row').filter({ hasText: '陈晓梅' })
    expect(await chen.getByTestId('contact-masked').textContent()).toBe('138****0033')
    expect(await page.content()).not.toContain('13800000033')
    await chen.getByRole('button', { name: '查看' }).click()
    await expect.poll(() => chen.getByTestId('contact-full').textContent()).toBe('13800000033')
    const offered = await page.getByTestId('grant-role').locator('option').allTextContents()
    expect(offered).toContain('审核员')
    expect(offered).not.toContain('省级管理员')
    expect(offered).not.toContain('交易监管者')
    await page.goto(`${BASE}/p/liling/admin`)
    await members.scrollIntoViewIfNeeded()
    await shot(page, '84-admin-members')
    expect(errors.join('\n')).toBe('')
    await ctx.close()
  })

  it('the colour picker previews live; colours and logo show on the portal; the footer shows the ICP number', async () => {
    const { ctx, page, errors } = await asAdmin()
    await page.goto(`${BASE}/p/liling/admin`)
    const preview = page.getByTestId('brand-preview').locator('.brand-preview-header')
    await page.getByTestId('color-primaryColor').fill('#0e7490')
    // The preview follows at once, before anything is saved…
    await expect.poll(() => preview.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(14, 116, 144)')
    expect(await page.getByTestId('hex-primaryColor').inputValue()).toBe('#0e7490')
    // …and typing a hex value moves the picker.
    await page.getByTestId('hex-accentColor').fill('#f97316')
    expect(await page.getByTestId('color-accentColor').inputValue()).toBe('#f97316')
    await page.getByTestId('branding-form').getByRole('button', { name: '保存' }).click()
    await page.locator('.alert-ok', { hasText: '平台外观已保存。' }).waitFor()

    const logo = await sharp({
      create: { width: 640, height: 160, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="160"><circle cx="80" cy="80" r="70" fill="#fbbf24"/><rect x="170" y="40" width="440" height="80" rx="16" fill="#ffffff"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer()
    await page.getByTestId('logo-input').setInputFiles({ name: '醴陵标志.png', mimeType: 'image/png', buffer: logo })
    await page.getByTestId('logo-current').waitFor() // the chosen file shows before it is sent
    await page.getByTestId('logo-upload').click()
    await page.locator('.alert-ok', { hasText: '平台标志已更新。' }).waitFor()
    await expect.poll(() => page.getByTestId('logo-current').getAttribute('src')).toMatch(/^\/p\/liling\/logo\//)

    const footer = page.getByTestId('footer-form')
    await footer.getByLabel('ICP备案号').fill('湘ICP备2021012851号')
    await footer.getByRole('button', { name: '保存' }).click()
    await page.locator('.alert-ok', { hasText: '页脚信息已保存。' }).waitFor()
    await page.getByTestId('branding-form').scrollIntoViewIfNeeded()
    await shot(page, '85-admin-branding')

    // A refused ICP number says why, in Chinese.
    await footer.getByLabel('ICP备案号').fill('ICP12345')
    await footer.getByRole('button', { name: '保存' }).click()
    await page.locator('.field-error', { hasText: 'ICP备案号格式不对' }).waitFor()

    // The portal, as a visitor sees it.
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const home = await visitor.newPage()
    const visitorErrors = watchErrors(home)
    await home.goto(`${BASE}/p/liling`)
    expect(await home.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(14, 116, 144)',
    )
    const img = home.locator('.site-header img.brand-logo')
    expect(await img.getAttribute('src')).toMatch(/^\/p\/liling\/logo\/[a-f0-9]{16}\.webp$/)
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
    expect(await home.getByTestId('footer-icp').textContent()).toBe('湘ICP备2021012851号')
    expect(await home.getByTestId('footer-host-unit').textContent()).toContain('醴陵市教育局')
    await home.getByTestId('site-footer').scrollIntoViewIfNeeded()
    await shot(home, '86-portal-branded-footer')
    // The province's portal keeps its own footer.
    await home.goto(`${BASE}/p/hunan`)
    expect(await home.getByTestId('footer-host-unit').textContent()).toContain('湖南省电化教育馆')
    expect(await home.getByTestId('footer-icp').textContent()).toMatch(/^湘ICP备\d+号(-\d+)?$/)
    expect(visitorErrors.join('\n')).toBe('')
    await visitor.close()
    expect(errors.join('\n')).toBe('')
    await ctx.close()
  })

  it('on a phone, the tables become cards', async () => {
    const { ctx, page, errors } = await asAdmin(PHONE_VIEWPORT)
    await page.goto(`${BASE}/p/liling/admin/resources`)
    const firstRow = page.getByTestId('managed-resource').first()
    expect(await firstRow.evaluate((e) => getComputedStyle(e).display)).toBe('block')
    await shot(page, '90-phone-admin-resources')
    await page.goto(`${BASE}/p/liling/audit`)
    const entry = page.getByTestId('audit-row').first()
    expect(await entry.evaluate((e) => getComputedStyle(e).display)).toBe('block')
    // No sideways scrolling: the page is as wide as the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width)
    await shot(page, '91-phone-admin-audit')
    await page.goto(`${BASE}/p/liling/admin`)
    const member = page.getByTestId('member-row').first()
    expect(await member.evaluate((e) => getComputedStyle(e).display)).toBe('block')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width)
    await page.getByTestId('members').scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(SHOTS, '92-phone-admin-members.png') })
    await page.getByTestId('branding-form').scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(SHOTS, '93-phone-admin-branding.png') })
    expect(errors.join('\n')).toBe('')
    await ctx.close()
  })
})
