import { chromium, type Browser, type Page } from 'playwright-core'
import path from 'node:path'
import { CHROMIUM, ROOT } from '../../scripts/lib/services.ts'

export const SHOTS = path.join(ROOT, 'test-results/e2e')

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Collects page errors and console errors: a page that logs an error fails its test. */
export function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // A 400 (form validation), 403 or 404 answer is the expected outcome of some steps; Chromium logs it as a
    // console error ("Failed to load resource"), which is the expected outcome, not a bug.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|403|404)/.test(m.text())) errors.push(m.text())
  })
  return errors
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}
