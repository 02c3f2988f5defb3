/**
 * A platform at its own address, in Chromium: on liling.localhost a 醴陵 teacher opens the portal
 * at /, signs in at /login, browses /resources and a resource at /r/<id>, and downloads its
 * original (the bytes' sha256 compared with the stored object's). Every link on those pages stays
 * on liling.localhost or goes to a parent platform's own address. On a phone the header, the
 * navigation and the banner take at most a quarter of the first screen; in English the counts
 * read "1 star, 2 stars". Screenshots in test-results/e2e/4x-*.png.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { FIXTURES } from '../fixtures/generate.ts'
import { e2eEnv } from '../setup/global-e2e.ts'
import { TEST } from '../setup/test-config.ts'
import { hydrated, launch, shot, SHOTS, watchErrors, PHONE_VIEWPORT } from './browser.ts'

// This process writes the resource the teacher downloads straight into the e2e server's database
// and store (the demo seed has no files), so it needs the server's environment before any app module loads.
Object.assign(process.env, e2eEnv())
const { prisma } = await import('~/lib/db.server.ts')
const { storage } = await import('../../storage/index.ts')
const { mediaResource } = await import('../factories/media-fixture.ts')
const { objectKeys } = await import('../../storage/keys.ts')

vi.setConfig({ testTimeout: 120_000 })
const PORT = TEST.e2ePort
const HOST = `liling.localhost:${PORT}`
const SITE = `http://${HOST}`
/** 醴陵's parents have no host name of their own: their address is /p/<slug> on the province's host. */
const PARENTS = [`http://localhost:${PORT}/p/zhuzhou`, `http://localhost:${PORT}/p/hunan`]

const TEACHER = '13800000034' // 褚明, 醴陵市教师

let browser: Browser
let resourceId = ''
let storedSha = ''
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  browser = await launch()
  // A published 醴陵 lesson plan whose original is a real PDF.
  const r = await mediaResource({
    phone: TEACHER,
    slug: 'liling',
    title: '勾股定理导学案（醴陵本地址）',
    kind: 'DOCUMENT',
    length: 3,
    index: false,
  })
  const bytes = fs.readFileSync(path.join(FIXTURES, 'lesson.pdf'))
  const file = await prisma.resourceFile.findUniqueOrThrow({ where: { id: r.fileId } })
  await storage.put(file.storageKey!, bytes)
  await prisma.resourceFile.update({
    where: { id: r.fileId },
    data: { size: BigInt(bytes.length), sha256: sha256(bytes) },
  })
  // Page images that look like the lesson plan's pages (the factory writes placeholders).
  const ref = { platformId: r.platformId, resourceId: r.id, fileId: r.fileId }
  for (let i = 1; i <= 3; i++) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1400"><rect width="100%" height="100%" fill="#fff"/><text x="80" y="160" font-size="56" font-family="Noto Sans CJK SC">勾股定理导学案</text><text x="80" y="260" font-size="36" font-family="Noto Sans CJK SC" fill="#555">第 ${i} 页 · a² + b² = c²</text><rect x="80" y="320" width="840" height="4" fill="#047857"/></svg>`
    const page = await sharp(Buffer.from(svg)).webp().toBuffer()
    await storage.put(objectKeys.derived(ref, `pages/p-${String(i).padStart(4, '0')}.webp`), page)
  }
  resourceId = r.id
  const chunks: Buffer[] = []
  for await (const c of await storage.get(file.storageKey!)) chunks.push(c as Buffer)
  storedSha = sha256(Buffer.concat(chunks))
})
afterAll(async () => {
  await browser?.close()
  await prisma.$disconnect()
})

/** Every link of the page, as the browser resolves it. */
const linksOf = (page: Page) => page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href))

/** Links that neither stay on the host nor go to a parent's address. The ICP filing number in the
 * footer links to MIIT's public register, as the law asks: it is not a platform page. */
function strayLinks(links: string[]) {
  return links.filter((href) => {
    const u = new URL(href)
    if (u.host === HOST) return false
    if (PARENTS.includes(u.origin + u.pathname.replace(/\/$/, ''))) return false
    return u.host !== 'beian.miit.gov.cn'
  })
}

async function expectShortShell(page: Page) {
  // The shell's own links are short on the host; the breadcrumb goes to the parents' addresses.
  const nav = await page.locator('.main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  expect(nav.length).toBeGreaterThan(1)
  for (const href of nav) expect(href, 'a navigation link').not.toMatch(/^\/p\//)
  const crumbs = await page.locator('.crumbs a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))
  expect(crumbs).toEqual(PARENTS.slice().reverse())
}

describe('醴陵 at liling.localhost', () => {
  it('a teacher signs in at /login, browses at short paths, and downloads an original whose bytes match the stored object', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)

    await page.goto(`${SITE}/`)
    expect(new URL(page.url()).pathname).toBe('/')
    await expect(page.getByTestId('platform-name').textContent()).resolves.toBe('醴陵市教育资源平台')
    await expectShortShell(page)

    await page.locator('.header-tools').getByRole('link', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    expect(page.url()).toBe(`${SITE}/login?redirectTo=%2F`)
    // No developer text on a real platform's sign-in page (the demo alone sets DEMO_MODE=1).
    await expect(page.getByTestId('demo-hint').count()).resolves.toBe(0)
    await expect(page.locator('main').innerText()).resolves.not.toContain('README')
    expect(strayLinks(await linksOf(page))).toEqual([])
    await shot(page, '40-own-host-login')
    await page.getByLabel('手机号或邮箱').fill(TEACHER)
    await page.getByLabel('密码').fill('Hunan2026')
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname !== '/login')
    expect(page.url()).toBe(`${SITE}/`) // back where the sign-in started, on the host
    await expect(page.locator('.user-name').textContent()).resolves.toContain('褚明')

    // The catalogue, by the navigation (a client-side navigation to the short path).
    await page.locator('.main-nav').getByRole('link', { name: '资源', exact: true }).click()
    await page.waitForURL(`${SITE}/resources`)
    await page.getByTestId('curriculum-tree').waitFor()
    expect(strayLinks(await linksOf(page))).toEqual([])
    await expectShortShell(page)
    await shot(page, '41-own-host-catalogue')

    const res = await page.goto(`${SITE}/r/${resourceId}`)
    expect(res?.status()).toBe(200)
    await expect(page.locator('h1').first().textContent()).resolves.toBe('勾股定理导学案（醴陵本地址）')
    expect(strayLinks(await linksOf(page))).toEqual([])
    await expectShortShell(page)
    await shot(page, '42-own-host-resource')

    // The page's download button, as a teacher clicks it: the bytes are the stored object's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()])
    expect(new URL(download.url()).host).toBe(HOST)
    const got = fs.readFileSync((await download.path())!)
    expect(sha256(got)).toBe(storedSha)
    const row = await prisma.resourceFile.findFirstOrThrow({ where: { resourceId, role: 'PRIMARY' } })
    expect(sha256(got)).toBe(row.sha256)
    // …and the short path of the download route itself, fetched by the page (with its cookies, on its host).
    const short = await page.evaluate(async (url) => {
      const r = await fetch(url)
      const digest = await crypto.subtle.digest('SHA-256', await r.arrayBuffer())
      const hex = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('')
      return { status: r.status, url: r.url, sha: hex }
    }, `/r/${resourceId}/download`)
    expect(short.status).toBe(200)
    expect(new URL(short.url).host).toBe(HOST)
    expect(short.sha).toBe(storedSha)

    // Signing out stays on the host, at its home.
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL(`${SITE}/`)
    // The address changes before the router has rendered the signed-out page: wait for the page.
    await expect.poll(() => page.locator('.header-tools').getByRole('link', { name: '登录' }).count()).toBe(1)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('on a phone the header, navigation and banner take at most a quarter of the first screen', async () => {
    const ctx = await browser.newContext({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    const headerBottom = () => page.locator('.site-header').evaluate((el) => el.getBoundingClientRect().bottom)
    await page.goto(`${SITE}/login`)
    expect(await headerBottom()).toBeLessThanOrEqual(PHONE_VIEWPORT.height / 4)
    await shot(page, '43-own-host-login-phone')
    await page.getByLabel('手机号或邮箱').fill(TEACHER)
    await page.getByLabel('密码').fill('Hunan2026')
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname !== '/login')
    for (const [url, name] of [
      [`${SITE}/resources`, '44-own-host-catalogue-phone'],
      [`${SITE}/r/${resourceId}`, '45-own-host-resource-phone'],
      [`${SITE}/`, '46-own-host-home-phone'],
    ] as const) {
      await page.goto(url)
      // The banner is part of the header; signed in, the header also carries the bell and the sign-out.
      await expect(page.getByTestId('platform-banner').isVisible()).resolves.toBe(true)
      expect(await headerBottom(), url).toBeLessThanOrEqual(PHONE_VIEWPORT.height / 4)
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        url,
      ).toBeLessThanOrEqual(0)
      expect(strayLinks(await linksOf(page)), url).toEqual([])
      await shot(page, name)
    }
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('in English, counts have their plural forms and the shell speaks English', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`${SITE}/resources`)
    await page.getByRole('button', { name: '语言' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    expect(page.url()).toBe(`${SITE}/resources`) // the language switch comes back to the short path
    await expect(page.locator('.main-nav').innerText()).resolves.toContain('Resources')
    const text = await page.locator('main').innerText()
    expect(text).toMatch(/\d+ resources?\b/)
    // 1 → singular, anything else → plural, wherever a count is shown.
    expect(text).not.toMatch(/(^|[^\d.])1 (resources|downloads|stars|pages|ratings|views)\b/)
    expect(text).not.toMatch(/(^|[^\d.])(0|[2-9]|\d{2,}) (resource|download|star|page|rating|view)\b(?!s)/)
    // Stage, edition and the tree's names in English where they have one (a chapter keeps its Chinese title).
    await expect(page.getByTestId('curriculum-tree').innerText()).resolves.toContain('Junior high school')
    await page.goto(`${SITE}/resources?node=jh.math.pep.8b`)
    const tree = await page.getByTestId('curriculum-tree').innerText()
    expect(tree).toContain('Grade 8, volume 2')
    expect(tree).toContain('Chapter 17 勾股定理')
    await expect(page.locator('[data-facet=stage]').innerText()).resolves.toContain('Junior high school')
    await expect(page.locator('[data-facet=edition]').innerText()).resolves.toContain("PEP (People's Education Press)")
    await shot(page, '47-own-host-catalogue-english')
    await hydrated(page)
    await page.getByTestId('curriculum-tree').screenshot({ path: path.join(SHOTS, '48-curriculum-tree-english.png') })
    await page
      .getByTestId('result')
      .first()
      .screenshot({ path: path.join(SHOTS, '49-resource-card-english.png') })
    expect(errors).toEqual([])
    await ctx.close()
  })
})
