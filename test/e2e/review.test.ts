/**
 * The review workflow in the browser: a 醴陵 teacher uploads a lesson plan and submits it; the
 * 醴陵 reviewer asks for changes with a comment on the title; the teacher changes it and
 * resubmits; the reviewer sees the change, approves with scores and recommends it to 株洲; the
 * 株洲 reviewer approves; it is found in 株洲's search, and selected (遴选) into a featured
 * collection on 株洲's home page. Then the 醴陵 admin takes it down and it
 * is gone. Screenshots in test-results/e2e/3x-*.png.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { FIXTURES } from '../fixtures/generate.ts'
import { TEST } from '../setup/test-config.ts'
import { choosePosition, launch, shot, signIn, watchErrors } from './browser.ts'

vi.setConfig({ testTimeout: 180_000 })
const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(() => browser?.close())

async function as(phone: string, slug = 'liling') {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  const errors = watchErrors(page)
  await signIn(page, BASE, phone, slug)
  return { ctx, page, errors }
}

const TITLE = '勾股定理 复习课教学设计'
const TITLE2 = '勾股定理（第3课时）复习课教学设计'

async function claimAndOpen(page: Page, slug: string, title: string) {
  await page.goto(`${BASE}/p/${slug}/review`)
  const row = page.getByTestId('queue-item').filter({ hasText: title })
  await row.getByTestId('claim').click()
  await page.waitForURL(/\/review\/[a-z0-9]+$/)
}

async function approve(page: Page) {
  await page.locator('input[name=outcome][value=APPROVED]').check()
  for (const c of ['SCIENTIFIC', 'EDUCATIONAL', 'TECHNICAL', 'ARTISTIC', 'NORMATIVE'])
    await page.locator(`select[name="score.${c}"]`).selectOption('4')
  await page.getByTestId('submit-decision').click()
  await page.waitForURL(/[?&]done=/)
}

describe('review: submit, changes, resubmit, approve, recommend, take down', () => {
  it("goes from a teacher's upload to the city's search, and out again", async () => {
    // The teacher uploads and submits.
    const teacher = await as('13800000033')
    await teacher.page.goto(`${BASE}/p/liling/upload`)
    await teacher.page.getByTestId('upload-input').setInputFiles(path.join(FIXTURES, 'lesson.docx'))
    const item = teacher.page.getByTestId('upload-item').filter({ hasText: 'lesson.docx' })
    const form = item.getByTestId('meta-form')
    await form.getByLabel('标题').fill(TITLE)
    // A Word document is proposed as a 教学设计.
    expect(await form.getByLabel('资源类型').inputValue()).toBe('LESSON_PLAN')
    await choosePosition(form)
    await form.getByLabel('简介').fill('勾股定理单元复习课的教学设计，含练习与答案。')
    await form.getByRole('button', { name: '保存信息' }).click()
    await form.getByText('已保存').waitFor()
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 60_000 }).toBe('done')
    const resourceId = (await item.getAttribute('data-resource-id'))!
    const resourceUrl = `${BASE}/p/liling/r/${resourceId}`
    await teacher.page.goto(resourceUrl)
    await teacher.page.getByTestId('submit-review').waitFor({ timeout: 120_000 })
    await teacher.page.getByTestId('submit-review').click()
    await teacher.page.getByTestId('in-review').waitFor()
    await shot(teacher.page, '30-submitted')

    // The county reviewer asks for changes, with a comment on the title.
    const reviewer = await as('13800000032')
    await claimAndOpen(reviewer.page, 'liling', TITLE)
    await reviewer.page.getByTestId('dossier-metadata').waitFor()
    expect(await reviewer.page.getByTestId('dossier-changes').textContent()).toContain('第一次提交')
    await shot(reviewer.page, '31-review-dossier')
    await reviewer.page.locator('input[name=outcome][value=CHANGES_REQUESTED]').check()
    await reviewer.page.locator('input[name=reasons][value=INCOMPLETE_METADATA]').check()
    await reviewer.page.locator('input[name="field.title"]').fill('请在标题中写明是第几课时')
    await reviewer.page.getByTestId('submit-decision').click()
    await reviewer.page.waitForURL(/[?&]done=/)

    // The teacher sees the decision beside the field, changes the title and resubmits.
    await teacher.page.reload()
    await teacher.page.getByTestId('review-decision').waitFor()
    expect(await teacher.page.getByTestId('field-comment').first().textContent()).toBe('请在标题中写明是第几课时')
    await shot(teacher.page, '32-changes-requested')
    await teacher.page.locator('.meta-form').getByLabel('标题').fill(TITLE2)
    await teacher.page.locator('.meta-form').getByRole('button', { name: '保存信息' }).click()
    await teacher.page.locator('.meta-form').getByText('已保存').waitFor()
    await teacher.page.getByTestId('submit-review').click()
    await teacher.page.getByTestId('in-review').waitFor()

    // The reviewer sees what changed, approves with scores and recommends it to the city.
    await claimAndOpen(reviewer.page, 'liling', TITLE2)
    await expect.poll(() => reviewer.page.getByTestId('dossier-changes').textContent()).toContain(TITLE2)
    await shot(reviewer.page, '33-resubmitted-changes')
    await approve(reviewer.page)
    await reviewer.page.goto(resourceUrl)
    await reviewer.page.getByTestId('recommend').click()
    await reviewer.page.getByTestId('recommended').waitFor()

    // The city reviewer approves the recommendation; the city's search finds it.
    const city = await as('13800000021', 'zhuzhou')
    await claimAndOpen(city.page, 'zhuzhou', TITLE2)
    await shot(city.page, '34-city-review')
    await approve(city.page)
    await expect
      .poll(
        async () => {
          await city.page.goto(`${BASE}/p/zhuzhou/resources?q=${encodeURIComponent('复习课教学设计')}`)
          return city.page.locator(`[data-testid=result][data-id="${resourceId}"]`).count()
        },
        { timeout: 20_000 },
      )
      .toBe(1)
    await shot(city.page, '35-in-city-search')
    // …and in the province's search, which gathers everything published in the province.
    await city.page.goto(`${BASE}/p/hunan/resources?q=${encodeURIComponent('复习课教学设计')}`)
    expect(await city.page.locator(`[data-testid=result][data-id="${resourceId}"]`).count()).toBe(1)

    // 遴选: the city reviewer selects it into a featured collection; the city home page shows it.
    await city.page.goto(`${BASE}/p/zhuzhou/r/${resourceId}`)
    await city.page.locator('[data-testid=feature] summary').click()
    await city.page.getByTestId('feature').getByPlaceholder('如：勾股定理精品课').fill('勾股定理精品课')
    await city.page.getByTestId('feature-submit').click()
    await expect
      .poll(() =>
        city.page
          .getByTestId('featured-in')
          .textContent()
          .catch(() => ''),
      )
      .toContain('勾股定理精品课')
    await city.page.goto(`${BASE}/p/zhuzhou`)
    const featured = city.page.getByTestId('featured-collection').filter({ hasText: '勾股定理精品课' })
    expect(await featured.textContent()).toContain(TITLE2)
    await shot(city.page, '35a-city-home-featured')

    // The county admin takes it down: gone from the page and from search.
    const admin = await as('13800000031')
    await admin.page.goto(resourceUrl)
    await admin.page.locator('summary', { hasText: '下架' }).click()
    await admin.page.getByTestId('takedown-form').locator('select[name=reason]').selectOption('COPYRIGHT')
    await admin.page.getByTestId('takedown-form').getByRole('button', { name: '下架' }).click()
    await admin.page.getByTestId('taken-down').waitFor()
    await shot(admin.page, '36-taken-down')
    const anon = await browser.newContext()
    const gone = await (await anon.newPage()).goto(resourceUrl)
    expect(gone?.status()).toBe(404)
    await expect
      .poll(
        async () => {
          await city.page.goto(`${BASE}/p/zhuzhou/resources?q=${encodeURIComponent('复习课教学设计')}`)
          return city.page.locator(`[data-testid=result][data-id="${resourceId}"]`).count()
        },
        { timeout: 20_000 },
      )
      .toBe(0)
    await city.page.goto(`${BASE}/p/zhuzhou`)
    expect(await city.page.getByTestId('featured-collection').filter({ hasText: TITLE2 }).count()).toBe(0)
    for (const who of [teacher, reviewer, city, admin]) {
      expect(who.errors).toEqual([])
      await who.ctx.close()
    }
    await anon.close()
  })
})

describe('review: the reject path', () => {
  it('a rejected resource is not published, and the teacher sees why', async () => {
    const teacher = await as('13800000033')
    await teacher.page.goto(`${BASE}/p/liling/upload`)
    await teacher.page.getByTestId('upload-input').setInputFiles(path.join(FIXTURES, 'short-360p.mov'))
    const item = teacher.page.getByTestId('upload-item').filter({ hasText: 'short-360p.mov' })
    const form = item.getByTestId('meta-form')
    await form.getByLabel('标题').fill('课间操录像（未授权音乐）')
    await choosePosition(form)
    await form.getByLabel('简介').fill('课间操的录像，用于体育课的动作示范。')
    await form.getByRole('button', { name: '保存信息' }).click()
    await form.getByText('已保存').waitFor()
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 60_000 }).toBe('done')
    const resourceId = (await item.getAttribute('data-resource-id'))!
    await teacher.page.goto(`${BASE}/p/liling/r/${resourceId}`)
    await teacher.page.getByTestId('submit-review').waitFor({ timeout: 120_000 })
    await teacher.page.getByTestId('submit-review').click()
    await teacher.page.getByTestId('in-review').waitFor()

    const reviewer = await as('13800000032')
    await claimAndOpen(reviewer.page, 'liling', '课间操录像')
    // A video's dossier: its length and resolution, and no extracted-text panel.
    expect(await reviewer.page.getByTestId('media-facts').textContent()).toMatch(/时长.*分辨率640×360/)
    expect(await reviewer.page.getByTestId('text-panel').count()).toBe(0)
    await reviewer.page.locator('input[name=outcome][value=REJECTED]').check()
    // Refusing without a reason is not allowed: the form says so and keeps the choice.
    await reviewer.page.getByTestId('submit-decision').click()
    await expect.poll(() => reviewer.page.getByRole('alert').first().textContent()).toContain('请至少选择一个原因')
    await reviewer.page.locator('input[name=outcome][value=REJECTED]').check()
    await reviewer.page.locator('input[name=reasons][value=COPYRIGHT]').check()
    await reviewer.page.locator('textarea[name=comment]').fill('背景音乐未获授权（00:02 起），请更换后重新上传。')
    await reviewer.page.getByTestId('submit-decision').click()
    await reviewer.page.waitForURL(/[?&]done=/)

    await teacher.page.reload()
    await teacher.page.getByTestId('review-decision').waitFor()
    const decision = await teacher.page.getByTestId('review-decision').textContent()
    expect(decision).toContain('不通过')
    expect(decision).toContain('可能侵犯版权')
    expect(decision).toContain('背景音乐未获授权')
    expect(await teacher.page.getByTestId('submit-review').count()).toBe(0)
    // The time code in the comment jumps the video there.
    const video = teacher.page.locator('[data-testid=video-player] video')
    await teacher.page.getByTestId('decision-comment').getByTestId('timecode').click()
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThanOrEqual(2)
    await shot(teacher.page, '37-rejected')
    // Not published: not found by others, not in search.
    const anon = await browser.newContext()
    expect((await (await anon.newPage()).goto(`${BASE}/p/liling/r/${resourceId}`))?.status()).toBe(404)
    await teacher.page.goto(`${BASE}/p/liling/resources?q=${encodeURIComponent('课间操录像')}`)
    await teacher.page.getByTestId('result-count').waitFor() // the search ran (not an error page)…
    expect(await teacher.page.getByTestId('search-error').count()).toBe(0)
    expect(await teacher.page.locator(`[data-testid=result][data-id="${resourceId}"]`).count()).toBe(0) // …without it
    for (const who of [teacher, reviewer]) {
      expect(who.errors).toEqual([])
      await who.ctx.close()
    }
    await anon.close()
  })
})
