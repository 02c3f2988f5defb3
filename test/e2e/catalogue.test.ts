/**
 * A teacher preparing tomorrow's lesson: browses the curriculum tree to 人教版 八年级下册
 * 第十七章 勾股定理 (counts on every node), narrows to 微课, searches in Chinese with
 * suggestions, opens a resource, rates it, comments, adds it to a collection and finds it again
 * in 我的空间. Also the zero-result page, a hostile link and a phone-sized window.
 * Screenshots in test-results/e2e/2x-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { TEST } from '../setup/test-config.ts'
import { launch, shot, signIn, watchErrors, PHONE_VIEWPORT } from './browser.ts'

const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(() => browser?.close())

const countOf = async (page: Page, nodeId: string) =>
  Number(
    await page
      .locator(`[data-testid=curriculum-tree] li:has(a[data-node="${nodeId}"]) [data-testid=node-count]`)
      .textContent(),
  )

describe('catalogue: browse, filter, search, engage', () => {
  it('from the tree to a chapter, to 微课, to a Chinese search, to the resource, and back in 我的空间', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await signIn(page, BASE, '13800000033')

    // Browse: stage → subject → edition → volume → chapter, each node with its count.
    await page.goto(`${BASE}/p/liling/resources`)
    await shot(page, '20-catalogue')
    for (const node of ['jh', 'jh.math', 'jh.math.pep', 'jh.math.pep.8b', 'jh.math.pep.8b.c2']) {
      expect(await countOf(page, node)).toBeGreaterThan(0)
      await page.locator(`[data-testid=curriculum-tree] a[data-node="${node}"]`).click()
      await page.waitForURL((u) => u.searchParams.get('node') === node)
    }
    const inChapter = Number((await page.getByTestId('result-count').textContent())!.replace(/\D/g, ''))
    expect(inChapter).toBeGreaterThan(3)
    // The sections of the chapter are the next level, with their own counts.
    expect(await countOf(page, 'jh.math.pep.8b.c2.s1')).toBeGreaterThan(0)
    await shot(page, '21-browse-chapter-17')

    // Filter by type.
    await page.locator('[data-facet=type] a', { hasText: '微课' }).click()
    await page.waitForURL((u) => u.searchParams.get('type') === 'MICRO_LECTURE')
    // The address changes before React has rendered the new results (the router renders in a
    // transition): wait for the list, not just the URL.
    const types = () => page.locator('[data-testid=result] .badge-outline').allTextContents()
    await expect.poll(async () => [...new Set(await types())]).toEqual(['微课'])
    await shot(page, '22-filter-micro-lecture')

    // Search in Chinese; suggestions come while typing.
    const box = page.getByTestId('search-input')
    await box.fill('勾股')
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid=suggestions] option')
            .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
        { timeout: 10_000 },
      )
      .toContain('勾股定理')
    await box.fill('赵爽弦图')
    await box.press('Enter')
    await page.waitForURL((u) => u.searchParams.get('q') === '赵爽弦图')
    const first = page.getByTestId('result').first()
    await expect.poll(() => first.locator('h3').textContent()).toContain('用赵爽弦图证明')
    expect(await first.locator('mark').first().textContent()).toBe('赵爽弦图')
    await shot(page, '23-search-zhaoshuang')

    // Open it: breadcrumb of its curriculum position, related resources of the same chapter.
    await first.locator('h3 a').click()
    await page.waitForURL(/\/r\//)
    expect(await page.getByTestId('resource-title').textContent()).toBe('勾股定理（第1课时）微课：用赵爽弦图证明')
    expect(await page.getByTestId('resource-position').textContent()).toContain('第十七章 勾股定理')
    expect(await page.getByTestId('related').locator('li').count()).toBeGreaterThan(0)

    // Rate it, change the rating, comment, collect.
    await page.getByRole('button', { name: '评 3 星' }).click()
    await expect.poll(() => page.getByTestId('rating').textContent()).toContain('您的评分：3 星')
    await page.getByRole('button', { name: '评 4 星' }).click()
    await expect.poll(() => page.getByTestId('rating').textContent()).toContain('您的评分：4 星')
    await page.getByLabel('评论内容').fill('拼图活动很适合八年级学生，明天就用。')
    await page.getByRole('button', { name: '发表评论' }).click()
    await expect.poll(() => page.getByTestId('comment').first().textContent()).toContain('明天就用')
    await page.getByRole('textbox', { name: /新建收藏夹|或新建/ }).fill('勾股定理备课')
    await page.getByRole('button', { name: '加入收藏夹' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('collected-in')
          .textContent()
          .catch(() => ''),
      )
      .toContain('勾股定理备课')
    await shot(page, '24-resource-rated-commented-collected')

    // 我的空间: the collection, the rating.
    await page.getByRole('link', { name: '在我的空间查看' }).click()
    await page.waitForURL(/\/me\?tab=collections/)
    const collection = page.getByTestId('collection').filter({ hasText: '勾股定理备课' })
    expect(await collection.textContent()).toContain('勾股定理（第1课时）微课：用赵爽弦图证明')
    await shot(page, '25-my-space-collections')
    await page.getByTestId('tab-ratings').click()
    await page.waitForURL(/tab=ratings/)
    expect(await page.getByTestId('my-ratings').textContent()).toMatch(
      /勾股定理（第1课时）微课：用赵爽弦图证明\s*★★★★(?!★)/,
    )
    await shot(page, '26-my-space-ratings')
    await page.getByTestId('tab-uploads').click()
    await page.waitForURL(/tab=uploads/)
    await shot(page, '27-my-space-uploads')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('says plainly when nothing matches, and refuses a hostile link with a Chinese message', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`${BASE}/p/liling/resources?q=${encodeURIComponent('勾股定律')}&type=EXAM`)
    await page.getByTestId('zero-results').waitFor()
    expect(await page.getByTestId('zero-results').textContent()).toContain('没有找到与“勾股定律”相关的资源')
    await shot(page, '28-zero-results')
    const res = await page.goto(`${BASE}/p/liling/resources?subject=${encodeURIComponent('math" OR scopeId EXISTS')}`)
    expect(res?.status()).toBe(400)
    expect(await page.getByTestId('search-error').textContent()).toContain('搜索条件“subject”的取值不正确')
    await shot(page, '29-hostile-link-400')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('works on a phone-sized window', async () => {
    const ctx = await browser.newContext({
      viewport: PHONE_VIEWPORT,
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`${BASE}/p/liling/resources?q=${encodeURIComponent('二次函数')}`)
    expect(await page.getByTestId('result').count()).toBeGreaterThan(0)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(1)
    await shot(page, '2a-phone-search')
    expect(errors).toEqual([])
    await ctx.close()
  })
})
