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

/**
 * Console messages a test may produce on purpose. Anything else logged as an error or a warning
 * fails the test, so each entry says why it is not a bug.
 */
const EXPECTED_CONSOLE: { type: 'error' | 'warning'; text: RegExp; why: string }[] = [
  {
    type: 'error',
    text: /^Failed to load resource: the server responded with a status of (400|403|404)/,
    // Chromium logs every 400 (form validation), 403 or 404 answer as a console error; some steps
    // check exactly that answer (a refused download, a page that does not exist).
    why: 'an expected refusal of the request the step makes',
  },
]

/** Collects page errors, console errors and warnings, and Content-Security-Policy violations:
 * a page that logs any of them (beyond EXPECTED_CONSOLE) fails its test. React's hydration
 * mismatches ("Extra attributes from the server", "did not match") are console errors or
 * warnings, so they fail a test too. */
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
    const type = m.type()
    if (type !== 'error' && type !== 'warning') return
    const text = m.text()
    if (EXPECTED_CONSOLE.some((x) => x.type === type && x.text.test(text))) return
    const at = m.location().url ? ` (${m.location().url}:${m.location().lineNumber})` : ''
    errors.push(`console.${type}: ${text}${at}`)
  })
  return errors
}

/**
 * Resolves once React has hydrated the page. Anything that touches the server's HTML before that is
 * reported by React ("Warning: Extra attributes from the server: style" at the first input, e.g. the
 * CsrfInput in the header): Playwright's screenshots hide the text caret by writing
 * `style="caret-color: transparent !important"` on every input, and left a screenshot taken while
 * the page was still hydrating with that warning. <html> is the last element hydration reaches
 * (a parent completes after its children), so its React fiber says the whole document is done.
 * A page that is not a Remix document (a plain-text or JSON answer) has nothing to hydrate.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(
    () =>
      document.readyState !== 'loading' &&
      (!('__remixContext' in window) ||
        Object.keys(document.documentElement).some((k) => k.startsWith('__reactFiber$'))),
  )
}

export async function shot(page: Page, name: string) {
  await hydrated(page)
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

/** 人教版 八年级下册 第十七章 勾股定理 › 17.1 勾股定理: the curriculum position most tests file under. */
export const PYTHAGORAS_POSITION = [
  ['学段', '初中'],
  ['学科', '初中数学'],
  ['版本', '人教版'],
  ['册次', '八年级下册'],
  ['章', '第十七章 勾股定理'],
  ['节', '17.1 勾股定理'],
] as const

/** Chooses a curriculum position level by level in a metadata form's picker. */
export async function choosePosition(
  form: ReturnType<Page['locator']>,
  levels: readonly (readonly [string, string])[] = PYTHAGORAS_POSITION,
) {
  for (const [level, choice] of levels)
    await form
      .getByTestId('curriculum-picker')
      .locator('label', { hasText: level })
      .locator('select')
      .selectOption({ label: choice })
}

export const PHONE_VIEWPORT = { width: 390, height: 844 }

/** The same screen on the desktop and on a 390×844 phone: `<name>.png` and `<name>-phone.png`. */
export async function shotBoth(page: Page, name: string) {
  const desktop = page.viewportSize()
  await shot(page, name)
  await page.setViewportSize(PHONE_VIEWPORT)
  await shot(page, `${name}-phone`)
  if (desktop) await page.setViewportSize(desktop)
}
