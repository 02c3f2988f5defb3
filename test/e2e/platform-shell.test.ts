import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { TEST } from '../setup/test-config.ts'
import { launch, shot, watchErrors, PHONE_VIEWPORT } from './browser.ts'

const PORT = TEST.e2ePort
let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(() => browser?.close())

describe('a county virtual platform at its own address', () => {
  it("a Liling teacher signs in at liling.localhost, sees Liling's name and branding, and gets a 403 page at another platform's admin page", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)

    await page.goto(`http://liling.localhost:${PORT}/`)
    expect(new URL(page.url()).pathname).toBe('/') // the platform's home, at its own address
    await expect(page.getByTestId('platform-name').textContent()).resolves.toBe('醴陵市教育资源平台')
    await expect(page.getByTestId('platform-banner').textContent()).resolves.toContain('瓷城教育资源共建共享')
    const headerColor = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(headerColor).toBe('rgb(4, 120, 87)') // Liling's own primary colour (#047857)
    await expect(page.locator('.crumbs').textContent()).resolves.toContain('株洲市教育资源平台')
    await shot(page, '01-liling-home-anonymous')

    await page.getByRole('link', { name: '登录' }).first().click()
    await page.waitForURL((u) => u.pathname === '/login')
    await page.getByLabel('手机号或邮箱').fill('13800000033')
    await page.getByLabel('密码').fill('Hunan2026')
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => !u.pathname.includes('/login'))
    await expect(page.locator('.user-name').textContent()).resolves.toContain('陈晓梅')
    // A teacher sees 上传 and 我的空间 but neither 审核 nor 管理.
    const nav = await page.locator('.main-nav').innerText()
    expect(nav).toContain('上传')
    expect(nav).toContain('我的空间')
    expect(nav).not.toContain('管理')
    expect(nav).not.toContain('审核')
    await shot(page, '02-liling-teacher-signed-in')

    const res = await page.goto(`http://liling.localhost:${PORT}/p/zhuzhou/admin`)
    expect(res?.status()).toBe(403)
    await expect(page.locator('.error-page h1').textContent()).resolves.toBe('没有访问权限')
    await expect(page.locator('.error-page').getAttribute('data-status')).resolves.toBe('403')
    await shot(page, '03-403-at-zhuzhou-admin')

    const own = await page.goto(`http://liling.localhost:${PORT}/p/liling/admin`)
    expect(own?.status()).toBe(403)

    await page.goto(`http://liling.localhost:${PORT}/p/liling/me?tab=account`)
    await expect(page.getByTestId('me-name').textContent()).resolves.toBe('陈晓梅')
    await shot(page, '04-liling-my-space')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('switches to English and back; unknown pages get a Chinese 404 page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`http://localhost:${PORT}/p/hunan`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN')
    await page.getByRole('button', { name: '语言' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Welcome to 湖南省教育资源云')
    await shot(page, '05-hunan-home-english')
    await page.getByRole('button', { name: 'Language' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')

    const res = await page.goto(`http://localhost:${PORT}/p/hunan/no-such-page`)
    expect(res?.status()).toBe(404)
    await expect(page.locator('.error-page h1').textContent()).resolves.toBe('页面不存在')
    const res2 = await page.goto(`http://localhost:${PORT}/p/no-such-platform`)
    expect(res2?.status()).toBe(404)
    await shot(page, '06-404')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('works on a phone-sized screen and by keyboard', async () => {
    const ctx = await browser.newContext({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await page.goto(`http://localhost:${PORT}/p/liling`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('跳到主要内容')
    await shot(page, '07-liling-phone')
    await ctx.close()
  })

  it('a county admin changes its branding and the portal shows it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`http://localhost:${PORT}/p/liling/login`)
    await page.getByLabel('手机号或邮箱').fill('13800000031')
    await page.getByLabel('密码').fill('Hunan2026')
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => !u.pathname.includes('/login'))
    await page.goto(`http://localhost:${PORT}/p/liling/admin`)
    await page.locator('#f-bannerText').fill('醴陵市 · 2026 年秋季优课评选开始报名')
    await page.locator('#f-primaryColor').fill('not-a-colour')
    await page.getByRole('button', { name: '保存' }).first().click()
    await expect(page.locator('.field-error').first().textContent()).resolves.toBe('请输入形如 #1d4ed8 的颜色值。')
    await expect(page.locator('#f-bannerText').inputValue()).resolves.toBe('醴陵市 · 2026 年秋季优课评选开始报名') // nothing typed was lost
    await page.locator('#f-primaryColor').fill('#1e40af')
    await page.getByRole('button', { name: '保存' }).first().click()
    await expect(page.locator('.alert-ok').textContent()).resolves.toBe('平台外观已保存。')
    // The action's message arrives before the revalidated layout data: wait for the banner,
    // then reload to show the server (not just the page in memory) serves the new banner.
    await page.getByTestId('platform-banner').filter({ hasText: '秋季优课评选' }).waitFor({ timeout: 10_000 })
    await page.reload()
    await expect(page.getByTestId('platform-banner').textContent()).resolves.toContain('秋季优课评选')
    await expect(page.locator('table').last().textContent()).resolves.toContain('修改平台')
    await shot(page, '08-liling-admin')
    expect(errors).toEqual([])
    await ctx.close()
  })
})
