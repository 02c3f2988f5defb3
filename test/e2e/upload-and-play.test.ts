/**
 * A teacher uploads a micro-lecture video, a PPTX and a PDF through the upload page (three at
 * once), pauses and resumes one, fills in details while bytes flow, waits for processing,
 * plays the video (time advances, quality switches, storyboard on the seek bar) and pages
 * through the PPTX — on a desktop window and on a phone-sized one. Screenshots in
 * test-results/e2e/1x-*.png.
 */
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { FIXTURES } from '../fixtures/generate.ts'
import { TEST } from '../setup/test-config.ts'
import { launch, shot, signIn, watchErrors, choosePosition, PHONE_VIEWPORT } from './browser.ts'

vi.setConfig({ testTimeout: 240_000 })
const BASE = `http://localhost:${TEST.e2ePort}`
let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(() => browser?.close())

/**
 * Starts playback muted (browsers only autoplay muted media). A play() cut short by a source
 * being attached rejects with AbortError; that is retried, any other failure is not.
 */
const playMuted = (media: Locator) =>
  expect
    .poll(
      () =>
        media.evaluate(async (el: HTMLMediaElement) => {
          el.muted = true
          try {
            await el.play()
            return true
          } catch (e) {
            if ((e as Error).name === 'AbortError') return false
            throw e
          }
        }),
      { timeout: 20_000 },
    )
    .toBe(true)
const item = (page: Page, name: string) => page.getByTestId('upload-item').filter({ hasText: name })
const percent = async (page: Page, name: string) =>
  Number((await item(page, name).getByTestId('upload-percent').textContent())!.replace('%', ''))

async function waitReady(page: Page, url: string, selector: string) {
  await page.goto(url)
  // The page refreshes itself every 2 s while processing; wait for the viewer to appear.
  await page.waitForSelector(selector, { timeout: 180_000 })
}

const STATE = path.join(FIXTURES, 'e2e-teacher-state.json')
let videoUrl = ''
let pptxUrl = ''

describe('upload, process, play', () => {
  it('uploads three files at once with progress, pause and resume, and metadata while uploading', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await signIn(page, BASE, '13800000034')
    await page.goto(`${BASE}/p/liling/upload`)
    await shot(page, '10-upload-page')

    // A weak school connection: about 1.5 MB/s up.
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: -1,
      uploadThroughput: 1.5 * 1024 * 1024,
    })

    await page
      .getByTestId('upload-input')
      .setInputFiles([
        path.join(FIXTURES, 'lesson-720p.mp4'),
        path.join(FIXTURES, 'slides.pptx'),
        path.join(FIXTURES, 'lesson.pdf'),
      ])
    await expect.poll(() => page.getByTestId('upload-item').count()).toBe(3)

    // Mid-upload: progress, speed and time left are shown.
    const video = 'lesson-720p.mp4'
    await expect.poll(() => percent(page, video), { timeout: 30_000 }).toBeGreaterThan(5)
    await expect(item(page, video).innerText()).resolves.toMatch(/\/秒/)
    await expect(item(page, video).innerText()).resolves.toContain('剩余约')
    // Details filled in while the bytes flow.
    const form = item(page, video).getByTestId('meta-form')
    await form.getByLabel('标题').fill('勾股定理（第 1 课时）微课')
    await form.getByLabel('资源类型').selectOption('MICRO_LECTURE')
    // 人教版 八年级下册 第十七章 勾股定理 › 17.1 勾股定理, and its knowledge points.
    await choosePosition(form)
    await form
      .locator('.kp', { hasText: /^勾股定理$/ })
      .locator('input')
      .check()
    await form.locator('.kp', { hasText: '赵爽弦图' }).locator('input').check()
    await form.getByRole('button', { name: '保存信息' }).click()
    await form.getByText('已保存').waitFor()
    await shot(page, '11-uploading-with-progress')

    // Interrupt one upload, check it stays put, then resume it.
    await item(page, video).getByRole('button', { name: '暂停' }).click()
    await expect.poll(() => item(page, video).getAttribute('data-state')).toBe('paused')
    const pausedAt = await percent(page, video)
    expect(pausedAt).toBeLessThan(100)
    await page.waitForTimeout(1500)
    expect(await percent(page, video)).toBe(pausedAt)
    await shot(page, '12-upload-paused')
    await item(page, video).getByRole('button', { name: '继续' }).click()
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    })
    for (const name of [video, 'slides.pptx', 'lesson.pdf'])
      await expect.poll(() => item(page, name).getAttribute('data-state'), { timeout: 60_000 }).toBe('done')
    await shot(page, '13-uploads-done')

    videoUrl = `${BASE}/p/liling/r/${await item(page, video).getAttribute('data-resource-id')}`
    pptxUrl = `${BASE}/p/liling/r/${await item(page, 'slides.pptx').getAttribute('data-resource-id')}`
    expect(errors).toEqual([])
    await ctx.storageState({ path: STATE })
    await ctx.close()
  })

  it('survives a dropped connection and a page reload, and tells the uploader the same file already exists', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      storageState: STATE,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Network.enable')
    const throttle = (up: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 40,
        downloadThroughput: -1,
        uploadThroughput: up,
      })
    await page.goto(`${BASE}/p/liling/upload`)
    await throttle(1024 * 1024)
    const video = 'lesson-720p.mp4'
    // The connection keeps dropping: every chunk sent is cut off. The upload says it is
    // retrying, and carries on by itself once the connection holds again.
    const cut = '**/uploads/**'
    await page.route(cut, (route) =>
      route.request().method() === 'PATCH' ? route.abort('connectionreset') : route.continue(),
    )
    await page.getByTestId('upload-input').setInputFiles(path.join(FIXTURES, video))
    await expect.poll(() => item(page, video).getAttribute('data-state'), { timeout: 15_000 }).toBe('retrying')
    await shot(page, '13a-upload-retrying')
    await page.unroute(cut)
    await expect.poll(() => percent(page, video), { timeout: 60_000 }).toBeGreaterThan(15)
    expect(await item(page, video).getAttribute('data-state')).toBe('uploading')

    // The teacher reloads the page mid-upload: it lists the unfinished file, and picking the
    // same file again continues from where the server stopped.
    await page.reload()
    await page.getByTestId('pending-uploads').waitFor()
    await expect(page.getByTestId('pending-uploads').innerText()).resolves.toContain(video)
    await shot(page, '13b-after-reload-pending')
    await throttle(4 * 1024 * 1024)
    await page.getByTestId('upload-input').setInputFiles(path.join(FIXTURES, video))
    await page.getByTestId('upload-resumed').waitFor({ timeout: 30_000 })
    const resumedText = await page.getByTestId('upload-resumed').innerText()
    expect(Number(/(\d+)%/.exec(resumedText)![1])).toBeGreaterThan(15)
    await shot(page, '13c-resumed-after-reload')
    await throttle(-1)
    await expect.poll(() => item(page, video).getAttribute('data-state'), { timeout: 60_000 }).toBe('done')
    // Same bytes as the video uploaded before: not stored twice, the existing one is offered.
    await item(page, video).getByText('本平台已有相同的文件').waitFor({ timeout: 30_000 })
    await shot(page, '13d-duplicate-detected')
    expect(errors.filter((e) => !/net::ERR_CONNECTION_RESET|Failed to load resource/.test(e))).toEqual([])
    await ctx.close()
  })

  it('plays the video: time advances, the quality switch works, the seek bar previews the storyboard', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      storageState: STATE,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await waitReady(page, videoUrl, '[data-testid=video-player]')
    await expect(page.getByTestId('resource-title').textContent()).resolves.toBe('勾股定理（第 1 课时）微课')
    await expect(page.getByTestId('resource-position').innerText()).resolves.toContain(
      '人教版 › 八年级下册 › 第十七章 勾股定理 › 17.1 勾股定理',
    )
    // Structured data for the catalogue: an LRMI LearningResource aligned to the section; a draft is not indexed.
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!)
    expect(ld['@type']).toBe('LearningResource')
    expect(ld.educationalAlignment.map((a: { targetName: string }) => a.targetName)).toContain('17.1 勾股定理')
    await expect(page.locator('meta[property="og:title"]').getAttribute('content')).resolves.toBe(
      '勾股定理（第 1 课时）微课',
    )
    await expect(page.locator('meta[name="robots"]').getAttribute('content')).resolves.toBe('noindex, nofollow')
    await page.waitForSelector('[data-testid=quality] option[value="2"]', { state: 'attached' })
    const v = page.getByTestId('video')
    await playMuted(v)
    await expect
      .poll(() => v.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(1.5)
    await shot(page, '14-video-playing')

    // Choose 360p: hls.js switches to that rendition and playback goes on.
    await page.getByTestId('quality').selectOption({ label: '360p' })
    await expect
      .poll(() => page.getByTestId('video-player').getAttribute('data-level-height'), { timeout: 20_000 })
      .toBe('360')
    const t0 = await v.evaluate((el: HTMLVideoElement) => el.currentTime)
    await expect
      .poll(() => v.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(t0 + 1)
    expect(await v.evaluate((el: HTMLVideoElement) => el.videoHeight)).toBe(360)

    // Hovering the seek bar shows a storyboard thumbnail for that moment.
    const bar = page.getByTestId('seekbar')
    const box = (await bar.boundingBox())!
    // Hover scrolls the bar into view first (it can sit below the fold).
    await bar.hover({ position: { x: box.width * 0.6, y: box.height / 2 } })
    await page.getByTestId('seek-preview').locator('.seek-thumb').waitFor()
    const bg = await page.locator('.seek-thumb').evaluate((el) => getComputedStyle(el).backgroundImage)
    expect(bg).toContain('storyboard/sheet-001.jpg')
    await shot(page, '15-video-360p-storyboard-preview')

    // The owner adds Chinese subtitles (SRT); once checked they show in the player.
    await page
      .getByTestId('add-subtitles')
      .getByTestId('upload-input')
      .setInputFiles(path.join(FIXTURES, 'subtitles.srt'))
    await expect
      .poll(() => page.getByTestId('upload-item').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('done')
    await expect
      .poll(
        async () =>
          (await page.getByTestId('file-status').filter({ hasText: 'subtitles.srt' }).getAttribute('data-status')) ??
          '',
        { timeout: 60_000 },
      )
      .toBe('READY')
    await page.reload()
    await page.waitForSelector('[data-testid=video] track', { state: 'attached' })
    await v.evaluate((el: HTMLVideoElement) => {
      el.muted = true
      el.currentTime = 0.6
      return el.play()
    })
    await expect
      .poll(
        () =>
          v.evaluate(
            (el: HTMLVideoElement) =>
              el.textTracks[0]?.activeCues?.[0] && (el.textTracks[0].activeCues[0] as VTTCue).text,
          ),
        { timeout: 15_000 },
      )
      .toBe('同学们好，今天我们学习勾股定理。')
    await shot(page, '15a-video-with-subtitles')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('pages through the PPTX preview', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      storageState: STATE,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await waitReady(page, pptxUrl, '[data-testid=doc-viewer]')
    await expect(page.getByTestId('page-label').textContent()).resolves.toBe('第 1 页 / 共 3 页')
    const loaded = () =>
      page.locator('.doc-page').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)
    await expect.poll(loaded).toBe(true)
    await shot(page, '16-pptx-page-1')
    await page.getByTestId('next-page').click()
    await expect(page.getByTestId('page-label').textContent()).resolves.toBe('第 2 页 / 共 3 页')
    await expect.poll(loaded).toBe(true)
    await shot(page, '17-pptx-page-2')
    await page.getByTestId('doc-viewer').press('ArrowRight')
    await expect.poll(() => page.getByTestId('page-label').textContent()).toBe('第 3 页 / 共 3 页')
    await expect(page.getByTestId('next-page').isDisabled()).resolves.toBe(true)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('shows an image (EXIF location stripped) and plays audio with its waveform', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      storageState: STATE,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await page.goto(`${BASE}/p/liling/upload`)
    await page
      .getByTestId('upload-input')
      .setInputFiles([path.join(FIXTURES, 'photo-gps.jpg'), path.join(FIXTURES, 'reading.mp3')])
    for (const name of ['photo-gps.jpg', 'reading.mp3'])
      await expect.poll(() => item(page, name).getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    const photo = `${BASE}/p/liling/r/${await item(page, 'photo-gps.jpg').getAttribute('data-resource-id')}`
    const audio = `${BASE}/p/liling/r/${await item(page, 'reading.mp3').getAttribute('data-resource-id')}`

    await waitReady(page, photo, '[data-testid=image-viewer]')
    await expect
      .poll(() =>
        page
          .locator('[data-testid=image-viewer] img')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(300)
    const shownSrc = await page
      .locator('[data-testid=image-viewer] img')
      .evaluate((img: HTMLImageElement) => img.currentSrc)
    expect(shownSrc).toMatch(/\.webp$/)
    // The image the page shows carries no EXIF (the upload had GPS coordinates in it).
    const shown = await page.request.get(shownSrc)
    expect(shown.status()).toBe(200)
    const shownMeta = await sharp(await shown.body()).metadata()
    expect(shownMeta.format).toBe('webp')
    expect(shownMeta.exif).toBeUndefined()
    expect((await sharp(path.join(FIXTURES, 'photo-gps.jpg')).metadata()).exif).toBeDefined()
    await shot(page, '17a-image-viewer')

    await waitReady(page, audio, '[data-testid=audio-player]')
    await expect
      .poll(() => page.locator('.waveform img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1200)
    const a = page.locator('[data-testid=audio-player] audio')
    await playMuted(a)
    await expect
      .poll(() => a.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 15_000 })
      .toBeGreaterThan(1)
    await shot(page, '17b-audio-waveform')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('works on a phone-sized window', async () => {
    const ctx = await browser.newContext({
      viewport: PHONE_VIEWPORT,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      storageState: STATE,
    })
    const page = await ctx.newPage()
    const errors = watchErrors(page)
    await waitReady(page, videoUrl, '[data-testid=video-player][data-ready=true]')
    const v = page.getByTestId('video')
    await playMuted(v)
    await expect
      .poll(() => v.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(1)
    const width = await v.evaluate((el) => el.getBoundingClientRect().width)
    expect(width).toBeLessThanOrEqual(390)
    await shot(page, '18-phone-video')
    await waitReady(page, pptxUrl, '[data-testid=doc-viewer]')
    await page.getByTestId('next-page').tap()
    await expect(page.getByTestId('page-label').textContent()).resolves.toBe('第 2 页 / 共 3 页')
    await shot(page, '19-phone-pptx')
    expect(errors).toEqual([])
    await ctx.close()
  })
})
