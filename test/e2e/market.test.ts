/**
 * The marketplace in a real browser (acceptance 1 of the marketplace issue): a school purchaser
 * buys a 20-seat school licence (the fake Stripe's test payment page, then its signed webhook)
 * and assigns a seat; that teacher plays the whole video and downloads the watermarked PDF; a
 * teacher of another school sees only the 60-second preview and the first pages; a teacher who
 * pays with WeChat Pay waits at 等待支付确认 until the asynchronous success arrives.
 * Screenshots in test-results/e2e/market-*.png.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ROOT } from '../../scripts/lib/services.ts'
import { e2eEnv } from '../setup/global-e2e.ts'
import { TEST } from '../setup/test-config.ts'
import { launch, shot, signIn, watchErrors } from './browser.ts'

vi.setConfig({ testTimeout: 300_000 })
const BASE = `http://localhost:${TEST.e2ePort}`
const STRIPE = `http://127.0.0.1:${TEST.e2eStripePort}`
const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
const fixture = (...args: string[]) =>
  JSON.parse(
    execFileSync(tsx, ['test/e2e/support/market-fixture.ts', ...args], { cwd: ROOT, env: e2eEnv(), encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  ) as Record<string, string>

let browser: Browser
let ids: { video: string; pdf: string }
let orderNumber = ''

beforeAll(async () => {
  browser = await launch()
  ids = fixture('make') as typeof ids
  fixture('wait', ids.video, ids.pdf)
  fixture('publish', ids.video, ids.pdf)
}, 300_000)
afterAll(() => browser?.close())

async function session(phone: string, slug: string) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors = watchErrors(page)
  await signIn(page, BASE, phone, slug)
  return { page, errors, close: () => context.close() }
}

const videoOf = (page: Page) => page.getByTestId('video')

/** Plays from `at` seconds (muted, as browsers allow) and says where playback got to. */
async function playFrom(page: Page, at: number) {
  const v = videoOf(page)
  await expect.poll(() => v.evaluate((el: HTMLVideoElement) => el.readyState), { timeout: 30_000 }).toBeGreaterThan(0)
  await v.evaluate(async (el: HTMLVideoElement, t: number) => {
    el.muted = true
    el.currentTime = t
    await el.play().catch(() => {})
  }, at)
  await page.waitForTimeout(2_500)
  return v.evaluate((el: HTMLVideoElement) => ({ time: el.currentTime, duration: el.duration }))
}

describe('a school licence, bought and used', () => {
  it('the purchaser buys 20 seats through Checkout and the webhook, and assigns a seat', async () => {
    const { page, errors, close } = await session('13800000013', 'cs-yizhong')
    await page.goto(`${BASE}/p/cs-yizhong/r/${ids.video}`)
    const panel = page.getByTestId('buy-panel')
    await expect.poll(() => panel.getByTestId('offer').count()).toBe(2)
    await shot(page, 'market-1-buy-panel')
    const school = panel.getByTestId('buy-SCHOOL')
    await expect.poll(() => school.locator('select option').first().textContent()).toBe('长沙市第一中学')
    await school.getByRole('button', { name: '为学校采购' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${STRIPE}/pay/`))
    expect(await page.getByRole('note').textContent()).toContain('这是测试支付页面，不会产生真实扣款')
    expect(await page.getByTestId('total').textContent()).toBe('¥980.00')
    await shot(page, 'market-2-test-payment-page')
    await page.getByRole('button', { name: /银行卡/ }).click()
    await page.waitForURL((u) => u.pathname.includes('/orders/'))
    await expect.poll(() => page.getByTestId('order').getAttribute('data-status'), { timeout: 20_000 }).toBe('PAID')
    orderNumber = (await page.locator('h1').textContent())!.replace('订单', '').trim()
    expect(orderNumber).toMatch(/^ERC\d{8}-[A-Z0-9]{6}$/)
    await shot(page, 'market-3-order-paid')

    await page.goto(`${BASE}/p/cs-yizhong/licences`)
    const licence = page.getByTestId('school-licence').filter({ hasText: '精品微课' })
    await licence.getByRole('textbox').fill('13800000015\n13800000033')
    await licence.getByRole('button', { name: '分配席位' }).click()
    await expect.poll(() => page.getByTestId('seat-results').textContent()).toContain('不是本校教师')
    expect(await page.getByTestId('seat-holders').textContent()).toContain('刘洋')
    expect(await licence.getByTestId('licence-usage').textContent()).toContain('已分配 1/20 个席位')
    await shot(page, 'market-4-seats')
    expect(errors).toEqual([])
    await close()
  })

  it('the assigned teacher plays the whole video and downloads the PDF stamped with the licence', async () => {
    // The PDF is licensed with the same school's seat too: the purchaser buys it for the school.
    const buyer = await session('13800000013', 'cs-yizhong')
    await buyer.page.goto(`${BASE}/p/cs-yizhong/r/${ids.pdf}`)
    await buyer.page.getByTestId('buy-SCHOOL').getByRole('button', { name: '为学校采购' }).click()
    await buyer.page.waitForURL((u) => u.href.startsWith(`${STRIPE}/pay/`))
    await buyer.page.getByRole('button', { name: /银行卡/ }).click()
    await expect
      .poll(() => buyer.page.getByTestId('order').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('PAID')
    await buyer.page.goto(`${BASE}/p/cs-yizhong/licences`)
    const pdfLicence = buyer.page.getByTestId('school-licence').filter({ hasText: '精品讲义' })
    await pdfLicence.getByRole('textbox').fill('13800000015')
    await pdfLicence.getByRole('button', { name: '分配席位' }).click()
    await expect.poll(() => buyer.page.getByTestId('seat-results').textContent()).toContain('已分配')
    await buyer.close()

    const { page, errors, close } = await session('13800000015', 'cs-yizhong')
    await page.goto(`${BASE}/p/cs-yizhong/r/${ids.video}`)
    expect(await page.getByTestId('licence-why').textContent()).toContain('长沙市第一中学 为你分配了授权席位')
    expect(await page.getByTestId('preview-notice').count()).toBe(0)
    const played = await playFrom(page, 68)
    expect(played.duration).toBeGreaterThan(74)
    expect(played.time).toBeGreaterThan(68.5)
    await shot(page, 'market-5-full-video')

    await page.goto(`${BASE}/p/cs-yizhong/r/${ids.pdf}`)
    await expect.poll(() => page.getByTestId('page-label').textContent()).toContain('共 5 页')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()])
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'erc-dl-')), download.suggestedFilename())
    await download.saveAs(file)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    const pages = text.split('\f').filter((p) => p.trim())
    expect(pages).toHaveLength(5)
    for (const p of pages) {
      expect(p.replace(/\s+/g, '')).toContain('授权给长沙市第一中学·刘洋')
      expect(p).toMatch(/订单 ERC\d{8}-[A-Z0-9]{6}/)
    }
    execFileSync('pdftoppm', [
      '-r',
      '50',
      '-png',
      '-f',
      '2',
      '-l',
      '2',
      file,
      path.join(ROOT, 'test-results/e2e/market-6-watermarked-page'),
    ])
    await shot(page, 'market-6-document-licensed')
    expect(errors).toEqual([])
    await close()
  })

  it('a teacher of another school gets the 60-second preview and the first three pages only', async () => {
    const { page, errors, close } = await session('13800000033', 'liling')
    await page.goto(`${BASE}/p/liling/r/${ids.video}`)
    await expect.poll(() => page.getByTestId('preview-notice').count()).toBe(1)
    expect(await page.getByTestId('buy-panel').textContent()).toContain('申请学校采购')
    const played = await playFrom(page, 40)
    expect(played.duration).toBeGreaterThan(50)
    expect(played.duration).toBeLessThanOrEqual(64)
    await shot(page, 'market-7-preview-video')
    // Past the preview: the player cannot go there (the playlist ends), and the segments are refused.
    const after = await playFrom(page, 70)
    expect(after.time).toBeLessThanOrEqual(64)

    await page.goto(`${BASE}/p/liling/r/${ids.pdf}`)
    await expect.poll(() => page.getByTestId('page-label').textContent()).toContain('共 3 页')
    expect(await page.getByTestId('download').count()).toBe(0)
    await shot(page, 'market-8-preview-document')
    expect(errors).toEqual([])
    await close()
  })
})

describe('WeChat Pay', () => {
  it('keeps the order at 等待支付确认 until the asynchronous success arrives, then grants', async () => {
    const { page, errors, close } = await session('13800000016', 'cs-yizhong')
    await page.goto(`${BASE}/p/cs-yizhong/r/${ids.pdf}`)
    await page.getByTestId('buy-PERSONAL').getByRole('button', { name: '购买' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${STRIPE}/pay/`))
    const sessionId = new URL(page.url()).pathname.split('/').pop()!
    await page.getByRole('button', { name: '用微信支付支付' }).click()
    await page.waitForURL((u) => u.pathname.includes('/orders/'))
    await expect
      .poll(() => page.getByTestId('order').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('AWAITING_PAYMENT')
    expect(await page.getByTestId('order-status').textContent()).toContain('等待支付确认')
    await shot(page, 'market-9-wechat-awaiting')
    await page.waitForTimeout(4_000)
    expect(await page.getByTestId('order').getAttribute('data-status')).toBe('AWAITING_PAYMENT')
    const res = await fetch(`${STRIPE}/_fake/sessions/${sessionId}/async`, {
      method: 'POST',
      body: 'outcome=succeeded',
    })
    expect(res.status).toBe(200)
    // The page looks again by itself.
    await expect.poll(() => page.getByTestId('order').getAttribute('data-status'), { timeout: 20_000 }).toBe('PAID')
    await shot(page, 'market-10-wechat-paid')
    await page.goto(`${BASE}/p/cs-yizhong/me?tab=licensed`)
    expect(await page.getByTestId('my-licensed').textContent()).toContain('自己购买')
    await shot(page, 'market-11-my-licensed')
    expect(errors).toEqual([])
    await close()
  })
})
