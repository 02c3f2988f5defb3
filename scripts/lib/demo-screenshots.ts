/**
 * Screenshots of a running demo (`npm run demo`), to look at: the province home page, a featured
 * 微课 playing, a featured 课件 paging, the resources list with its cover cards (desktop), and the
 * home page on a phone. Saved under test-results/demo/. Prints what it checked along the way
 * (cards without a picture, pictures that did not load, console errors).
 *   tsx scripts/lib/demo-screenshots.ts [base=http://localhost:3000]
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { CHROMIUM, ROOT } from './services.ts'

const base = process.argv[2] ?? 'http://localhost:3000'
const out = path.join(ROOT, 'test-results/demo')
fs.mkdirSync(out, { recursive: true })

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--disable-background-networking',
  ],
})
const problems: string[] = []

async function open(viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' })
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()} ${page.url()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror ${page.url()}: ${e.message}`))
  return page
}

/** Every <img> on the page loaded (naturalWidth > 0), and how many cards show none. */
async function checkPictures(page: Page, what: string) {
  await page.evaluate(async () => {
    // Lazy images load once scrolled to.
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y)
      await new Promise((r) => setTimeout(r, 60))
    }
    window.scrollTo(0, 0)
    await Promise.all(
      [...document.images].map((i) => (i.complete ? null : new Promise((r) => i.addEventListener('load', r)))),
    )
  })
  const r = await page.evaluate(() => ({
    images: document.images.length,
    broken: [...document.images].filter((i) => !i.naturalWidth).map((i) => i.src),
    cardsWithout: [...document.querySelectorAll('.related li, .result')].filter((c) => !c.querySelector('img')).length,
  }))
  console.log(`${what}: ${r.images} pictures, ${r.broken.length} broken, ${r.cardsWithout} cards without a picture`)
  if (r.broken.length) problems.push(`${what}: broken pictures ${r.broken.slice(0, 3).join(' ')}`)
  if (r.cardsWithout) problems.push(`${what}: ${r.cardsWithout} cards without a picture`)
}

// 1. The province home page with its 专题.
let page = await open()
await page.goto(`${base}/p/hunan`)
await checkPictures(page, 'home')
await page.screenshot({ path: path.join(out, '01-home.png'), fullPage: true })

// 2. A featured 微课 playing (muted: browsers only start muted media without a gesture).
const featured = page.getByTestId('featured-collection').first()
await featured.getByRole('link', { name: /微课/ }).first().click()
await page.getByTestId('video-player').waitFor()
const video = page.getByTestId('video')
for (let i = 0; i < 40; i++) {
  const ok = await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true
    try {
      await el.play()
      return true
    } catch {
      return false
    }
  })
  if (ok) break
  await page.waitForTimeout(250)
}
await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 3, null, { timeout: 30_000 })
const played = await video.evaluate((el: HTMLVideoElement) => ({
  t: el.currentTime.toFixed(1),
  d: el.duration.toFixed(1),
  h: el.videoHeight,
  tracks: el.textTracks.length,
}))
console.log(`微课 playing: ${played.t}/${played.d} s at ${played.h}p, ${played.tracks} subtitle track(s)`)
await page.evaluate(() => document.querySelector('video')?.pause())
await page.screenshot({ path: path.join(out, '02-featured-micro-lecture-playing.png'), fullPage: true })

// 3. A featured 课件 paging.
await page.goto(`${base}/p/hunan`)
await page.getByTestId('featured-collection').first().getByRole('link', { name: /课件/ }).first().click()
await page.getByTestId('doc-viewer').waitFor()
await page.getByTestId('next-page').click()
await page.getByTestId('next-page').click()
await page.waitForFunction(() => {
  const img = document.querySelector<HTMLImageElement>('[data-testid=doc-viewer] img')
  return !!img && img.complete && img.naturalWidth > 0
})
console.log(`课件 paging: ${await page.getByTestId('page-label').textContent()}`)
await page.screenshot({ path: path.join(out, '03-featured-courseware-paging.png'), fullPage: true })

// 4. The resources list: every card with its picture (generated resources show their cover).
await page.goto(`${base}/p/hunan/resources?sort=newest`)
await checkPictures(page, 'resources, newest')
await page.screenshot({ path: path.join(out, '04-resources-list.png'), fullPage: true })
await page.goto(`${base}/p/hunan/resources?q=${encodeURIComponent('勾股定理')}`)
await checkPictures(page, 'resources, 勾股定理')
await page.screenshot({ path: path.join(out, '05-search-gougu.png'), fullPage: true })
await page.close()

// 5. The home page on a phone.
page = await open({ width: 390, height: 844 })
await page.goto(`${base}/p/hunan`)
await checkPictures(page, 'home, phone')
await page.screenshot({ path: path.join(out, '06-home-phone.png'), fullPage: true })
await browser.close()

console.log(problems.length ? `\n${problems.length} problem(s):\n${problems.join('\n')}` : '\nno problems seen')
console.log(`screenshots in ${out}`)
