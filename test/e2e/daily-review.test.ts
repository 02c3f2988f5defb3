/**
 * A 醴陵 teacher's and reviewer's first hour (issue 10), desktop and 390×844 phone:
 * the teacher uploads three files (title and type proposed from each), cannot submit an
 * incomplete draft and sees why with links to fix it, completes and submits it, finds the form
 * read-only, withdraws and submits again, submits a second, deletes the third; the reviewer reads
 * the queue (column headers, titles open the dossier), approves the first, lands on the second
 * with a receipt, asks for changes with a comment template, and finds both under 已审核.
 * Screenshots: test-results/e2e/6x-*.png and 6x-*-phone.png.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser } from 'playwright-core'
import { FIXTURES } from '../fixtures/generate.ts'
import { TEST } from '../setup/test-config.ts'
import { choosePosition, launch, shotBoth, signIn, watchErrors } from './browser.ts'

vi.setConfig({ testTimeout: 240_000 })
const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
const db = () => new pg.Client({ connectionString: `${TEST.pgBase}/${TEST.e2eDb}` })
async function sql(text: string, params: unknown[] = []) {
  const c = db()
  await c.connect()
  try {
    return (await c.query(text, params)).rows as Record<string, unknown>[]
  } finally {
    await c.end()
  }
}

const TEMPLATE = '请补充本节课的教学目标和重难点。'
beforeAll(async () => {
  browser = await launch()
  await sql(`UPDATE "Platform" SET "reviewCommentTemplates" = $1 WHERE slug = 'liling'`, [
    [TEMPLATE, '画面清晰，讲解条理分明。'],
  ])
})
afterAll(async () => {
  await browser?.close()
  await sql(`UPDATE "Platform" SET "reviewCommentTemplates" = '{}' WHERE slug = 'liling'`)
})

/**
 * A copy of a fixture with bytes of its own (same name, same content to a reader), so that the
 * upload is never "the same file already exists" from another e2e file's upload of it: a ZIP
 * (DOCX) gets an archive comment, a PDF a trailing comment line, a JPEG bytes after its end.
 */
function uniqueCopy(name: string) {
  const bytes = fs.readFileSync(path.join(FIXTURES, name))
  const nonce = Buffer.from(`daily-review ${Date.now()} ${Math.random()}`)
  let out: Buffer
  if (name.endsWith('.docx')) {
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    const head = Buffer.from(bytes.subarray(0, eocd + 22))
    head.writeUInt16LE(nonce.length, eocd + 20)
    out = Buffer.concat([head, nonce])
  } else if (name.endsWith('.pdf')) out = Buffer.concat([bytes, Buffer.from('\n% '), nonce, Buffer.from('\n')])
  else out = Buffer.concat([bytes, nonce])
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erc-e2e-'))
  fs.writeFileSync(path.join(dir, name), out)
  return path.join(dir, name)
}

async function as(phone: string) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  const errors = watchErrors(page)
  await signIn(page, BASE, phone)
  return { ctx, page, errors }
}

const T_A = '勾股定理 第一课时 教学设计（日常审核测试）'
const T_B = '勾股定理 课堂练习（日常审核测试）'
const T_C = '勾股定理 板书照片（日常审核测试）'

describe("a teacher's and a reviewer's first hour", () => {
  it('checks before submitting, withdraws, deletes; the reviewer decides two in a row and finds them under 已审核', async () => {
    // The test's own items are the only ones 醴陵's reviewer can take: "the next item" is known.
    const open = await sql(`SELECT count(*)::int AS n FROM "Review" r JOIN "Platform" p ON p.id = r."platformId"
      WHERE p.slug = 'liling' AND r.status = 'OPEN'`)
    expect(open[0]!.n).toBe(0)

    const teacher = await as('13800000033')
    const page = teacher.page
    await page.goto(`${BASE}/p/liling/upload`)
    await page
      .getByTestId('upload-input')
      .setInputFiles(['lesson.docx', 'lesson.pdf', 'photo-gps.jpg'].map((f) => uniqueCopy(f)))
    const item = (name: string) => page.getByTestId('upload-item').filter({ hasText: name })
    // Proposed from each file: the title without the extension, the type from its kind.
    for (const [name, title, type] of [
      ['lesson.docx', 'lesson', 'LESSON_PLAN'],
      ['lesson.pdf', 'lesson', 'COURSEWARE'],
      ['photo-gps.jpg', 'photo-gps', 'MEDIA'],
    ] as const) {
      const form = item(name).getByTestId('meta-form')
      await expect.poll(() => form.getByLabel('标题').inputValue()).toBe(title)
      expect(await form.getByLabel('资源类型').inputValue()).toBe(type)
    }
    for (const [name, title] of [
      ['lesson.docx', T_A],
      ['lesson.pdf', T_B],
      ['photo-gps.jpg', T_C],
    ] as const) {
      const form = item(name).getByTestId('meta-form')
      await form.getByLabel('标题').fill(title)
      await form.getByRole('button', { name: '保存信息' }).click()
      await form.getByText('已保存').waitFor()
    }
    const ids: Record<string, string> = {}
    for (const name of ['lesson.docx', 'lesson.pdf', 'photo-gps.jpg']) {
      await expect.poll(() => item(name).getAttribute('data-state'), { timeout: 90_000 }).toBe('done')
      ids[name] = (await item(name).getAttribute('data-resource-id'))!
    }

    // An incomplete draft: what is missing, with links to fix it, and no submit button.
    await page.goto(`${BASE}/p/liling/r/${ids['lesson.docx']}`)
    const checks = page.getByTestId('submission-checks')
    await checks.waitFor()
    expect(await checks.getAttribute('data-complete')).toBe('no')
    const missing = await page
      .getByTestId('missing')
      .locator('li')
      .evaluateAll((li) => li.map((l) => l.dataset.field))
    expect(missing).toEqual(['curriculum', 'description'])
    expect(await checks.textContent()).toContain('审核员会看到的自动检查')
    expect(await page.getByTestId('submit-review').count()).toBe(0)
    await shotBoth(page, '60-teacher-incomplete')
    // 去填写 takes the teacher to the field.
    await page.getByTestId('missing').locator('li[data-field=curriculum] a').click()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid=curriculum-picker]') !== null))
      .toBe(true)

    const form = page.locator('.meta-form')
    await choosePosition(form)
    await form.getByLabel('简介').fill('勾股定理第一课时的教学设计：情境导入、证明探究与课堂练习。')
    await form.getByRole('button', { name: '保存信息' }).click()
    await form.getByText('已保存').waitFor()
    await expect.poll(() => checks.getAttribute('data-complete')).toBe('yes')
    await page.getByTestId('submit-review').waitFor({ timeout: 120_000 })
    await page.getByTestId('submit-review').click()
    await page.getByTestId('in-review').waitFor()
    // Under review the form is read-only and says why; the submission can be withdrawn.
    await page.getByTestId('read-only-reason').waitFor()
    expect(await form.getByLabel('标题').isDisabled()).toBe(true)
    expect(await form.getByRole('button', { name: '保存信息' }).count()).toBe(0)
    await shotBoth(page, '61-teacher-submitted-read-only')
    await page.getByTestId('withdraw').click()
    await page.getByTestId('submit-review').waitFor()
    expect(await form.getByLabel('标题').isDisabled()).toBe(false)
    await page.getByTestId('submit-review').click()
    await page.getByTestId('in-review').waitFor()

    // The second is completed and submitted.
    await page.goto(`${BASE}/p/liling/r/${ids['lesson.pdf']}`)
    await choosePosition(form)
    await form.getByLabel('简介').fill('勾股定理课堂练习题十道，附答案与讲评要点。')
    await form.getByRole('button', { name: '保存信息' }).click()
    await form.getByText('已保存').waitFor()
    await page.getByTestId('submit-review').waitFor({ timeout: 120_000 })
    await page.getByTestId('submit-review').click()
    await page.getByTestId('in-review').waitFor()

    // The third is deleted, after a confirmation; 我的空间 says so and no longer lists it.
    await page.goto(`${BASE}/p/liling/r/${ids['photo-gps.jpg']}`)
    await page.getByTestId('delete-draft').click()
    await page.getByTestId('delete-confirm').waitFor()
    await page.getByTestId('delete-confirmed').click()
    await page.waitForURL(/\/me\?tab=uploads&deleted=1/)
    await page.getByTestId('deleted-notice').waitFor()
    const mine = await page.getByTestId('my-uploads').textContent()
    expect(mine).not.toContain(T_C)
    expect(mine).toContain(T_A)
    await shotBoth(page, '62-my-space-after-delete')
    const gone = await sql(`SELECT status FROM "Resource" WHERE id = $1`, [ids['photo-gps.jpg']])
    expect(gone[0]!.status).toBe('DELETED')

    // The reviewer: the queue has column headers; a title opens the dossier.
    const reviewer = await as('13800000032')
    const r = reviewer.page
    await r.goto(`${BASE}/p/liling/review`)
    const headers = await r.getByTestId('review-queue').locator('thead th').allTextContents()
    expect(headers).toEqual(['类型', '资源', '等待时间', '审核人', '操作'])
    await shotBoth(r, '63-review-queue')
    await r.getByTestId('queue-item').filter({ hasText: T_A }).getByTestId('queue-title').click()
    await r.waitForURL(/\/review\/[a-z0-9]+$/)
    await r.getByTestId('media-facts').waitFor()
    expect(await r.getByTestId('media-facts').textContent()).toMatch(/页数\d+ 页/)
    // A document has text to read; the diff panel says this is the first version.
    await r.getByTestId('text-panel').waitFor()
    expect(await r.getByTestId('resubmission').count()).toBe(0)
    await shotBoth(r, '64-review-dossier')
    await r.locator('input[name=outcome][value=APPROVED]').check()
    for (const c of ['SCIENTIFIC', 'EDUCATIONAL', 'TECHNICAL', 'ARTISTIC', 'NORMATIVE'])
      await r.locator(`select[name="score.${c}"]`).selectOption('4')
    await r.getByTestId('submit-decision').click()

    // Straight on to the next item, with a receipt for the one just decided.
    await r.waitForURL(/\/review\/[a-z0-9]+\?done=/)
    await expect.poll(() => r.locator('h1').textContent()).toContain(T_B)
    const receipt = await r.getByTestId('decision-receipt').textContent()
    expect(receipt).toContain(T_A)
    expect(receipt).toContain('通过')
    // The form starts empty for the new item: nothing of the last decision is still ticked.
    expect(await r.locator('input[name=outcome]:checked').count()).toBe(0)
    expect(await r.locator('select[name="score.SCIENTIFIC"]').inputValue()).toBe('')
    await shotBoth(r, '65-review-next-with-receipt')
    await r.locator('input[name=outcome][value=CHANGES_REQUESTED]').check()
    await r.locator('input[name=reasons][value=INCOMPLETE_METADATA]').check()
    await r.getByTestId('comment-template').filter({ hasText: TEMPLATE }).click()
    expect(await r.locator('#decision-comment').inputValue()).toBe(TEMPLATE)
    await r.getByTestId('submit-decision').click()

    // Nothing left for this reviewer: 已审核, with both decisions, newest first, and filters.
    await r.waitForURL(/tab=done&done=/)
    // The URL changes as the client navigates; the page follows a moment later.
    await expect.poll(() => r.getByTestId('decision-receipt').textContent()).toContain(T_B)
    const rows = r.getByTestId('my-decision')
    expect(
      (await rows.allTextContents()).slice(0, 2).map((t) => (t.includes(T_B) ? 'B' : t.includes(T_A) ? 'A' : '?')),
    ).toEqual(['B', 'A'])
    await shotBoth(r, '66-reviewed-list')
    await r.getByTestId('done-filters').locator('select[name=outcome]').selectOption('APPROVED')
    await r.getByTestId('done-filters').getByRole('button', { name: '筛选' }).click()
    await r.waitForURL(/outcome=APPROVED/)
    // As above: the URL changes first, the filtered list a moment later.
    await expect.poll(async () => (await rows.allTextContents()).some((t) => t.includes(T_B))).toBe(false)
    const approved = await rows.allTextContents()
    expect(approved.some((t) => t.includes(T_A))).toBe(true)
    expect(approved.some((t) => t.includes(T_B))).toBe(false)

    // The teacher reads the comment beside the resource, and may change it again.
    await page.goto(`${BASE}/p/liling/r/${ids['lesson.pdf']}`)
    expect(await page.getByTestId('review-decision').textContent()).toContain(TEMPLATE)
    expect(await page.getByTestId('submission-checks').getAttribute('data-complete')).toBe('yes')

    for (const who of [teacher, reviewer]) {
      expect(who.errors).toEqual([])
      await who.ctx.close()
    }
  })
})
