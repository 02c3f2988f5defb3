import { chromium, type Browser, type Page } from 'playwright-core'
import path from 'node:path'
import { CHROMIUM, ROOT } from '../../scripts/lib/services.ts'

export const SHOTS = path.join(ROOT, 'test-results/e2e')

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Collects page errors, console errors and Content-Security-Policy violations: a page that
 * logs an error or breaks the CSP fails its test. */
export function watchErrors(page: Page) {
  const errors: string[] = []
  // Chromium logs most violations to the console; the event catches every one, reports included.
  void page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      ),
    ),
  )
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // A 400 (form validation), 403 or 404 answer is the expected outcome of some steps; Chromium logs it as a
    // console error ("Failed to load resource"), which is the expected outcome, not a bug.
    if (
      m.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of (400|403|404)/.test(m.text())
    )
      errors.push(m.text())
  })
  return errors
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

/** Signs in through the real form of a platform and waits to leave the sign-in page. */
export async function signIn(page: Page, base: string, phone: string, slug = 'liling') {
  await page.goto(`${base}/p/${slug}/login`)
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByLabel('密码').fill('Hunan2026')
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((u) => !u.pathname.includes('/login'))
}
