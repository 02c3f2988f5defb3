/**
 * The Content-Security-Policy is on for the whole end-to-end suite (every test's page errors and
 * violations fail it through watchErrors). This file shows that the pages carry the policy,
 * that hydration, navigation and the HLS player work under it, and that the detector sees a
 * violation when one happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { TEST } from '../setup/test-config.ts'
import { launch, shot, signIn, watchErrors } from './browser.ts'

const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(() => browser?.close())

describe('Content-Security-Policy', () => {
  it('pages carry a nonce policy and hydrate, navigate and search under it with no violation', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    const res = await page.goto(`${BASE}/p/hunan`)
    const csp = res!.headers()['content-security-policy'] ?? ''
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/)
    await signIn(page, BASE, '13800000033')
    // Client-side navigation through the hydrated router (a click, not a page load), then a search.
    await page.getByRole('navigation').getByRole('link', { name: '资源', exact: true }).click()
    await page.waitForURL(/\/p\/liling\/resources/)
    await page.getByTestId('search-input').fill('勾股定理')
    await page.keyboard.press('Enter')
    await page.waitForURL(/q=/)
    await shot(page, '05-csp-search')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('an injected inline script is blocked and reported as a violation', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`${BASE}/p/hunan`)
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__injected = true'
      document.body.appendChild(s)
    })
    await expect.poll(() => errors.some((e) => /CSP violation: script-src/.test(e))).toBe(true)
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined()
    await ctx.close()
  })
})
