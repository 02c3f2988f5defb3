/**
 * Open redirect through `redirectTo`: the sign-in and language forms send the browser on to a
 * path the request names. A browser's URL parser drops tabs and newlines and reads `\` as `/`,
 * so `/<tab>/evil.example` or `/\evil.example` become `//evil.example`: another site. Whatever
 * the form carries, the Location header must resolve (as a browser resolves it) to our origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, startTestServer } from '../factories/http.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})
afterAll(() => server?.close())

/** What an attacker puts in `?redirectTo=` (decoded, as the form's hidden field then carries it). */
const PAYLOADS = [
  '/\t/evil.example',
  '/\t\t/evil.example/login',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/\t\\evil.example',
  '/%09/evil.example',
  '/%5C/evil.example',
  '/%2F/evil.example',
  '//evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  '/..//evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/\u0000/evil.example',
  '/\u001f/evil.example',
  'https://evil.example/',
  'http:evil.example',
  'https:\\\\evil.example',
  '/\u3002evil.example',
  'javascript:alert(1)',
]

/** Where a browser goes with this Location header, seen from the page that got it. */
function destination(location: string | null, from: string) {
  return location === null ? null : new URL(location, from)
}

describe('redirectTo never leaves our origin', () => {
  it('the language switch answers every tab, backslash and encoded payload with a same-origin Location', async () => {
    const b = new Browser(server.base)
    const token = await b.csrfToken('/p/liling')
    const wrong: string[] = []
    for (const payload of PAYLOADS) {
      const res = await b.post('/locale', { _csrf: token, locale: 'zh-CN', redirectTo: payload })
      const to = destination(res.headers.get('location'), `${server.base}/p/liling`)
      if (res.status !== 302 || to?.origin !== server.base)
        wrong.push(`${JSON.stringify(payload)} → ${res.status} ${to?.href}`)
    }
    expect(wrong).toEqual([])
  })

  it('signing in answers every tab, backslash and encoded payload with a same-origin Location', async () => {
    const wrong: string[] = []
    for (const payload of PAYLOADS) {
      const b = new Browser(server.base)
      const token = await b.csrfToken('/p/liling/login')
      const res = await b.post('/p/liling/login', {
        _csrf: token,
        identifier: PHONES.lilingTeacher,
        password: DEMO_PASSWORD,
        redirectTo: payload,
      })
      const to = destination(res.headers.get('location'), `${server.base}/p/liling/login`)
      if (res.status !== 302 || to?.origin !== server.base)
        wrong.push(`${JSON.stringify(payload)} → ${res.status} ${to?.href}`)
    }
    expect(wrong).toEqual([])
  })

  it('a same-origin redirectTo is still followed, with its query', async () => {
    const b = new Browser(server.base)
    const token = await b.csrfToken('/p/liling/login')
    const res = await b.post('/p/liling/login', {
      _csrf: token,
      identifier: PHONES.lilingTeacher2,
      password: DEMO_PASSWORD,
      redirectTo: '/p/liling/resources?q=勾股定理',
    })
    expect(res.status).toBe(302)
    const to = destination(res.headers.get('location'), server.base)!
    expect(to.origin).toBe(server.base)
    expect(to.pathname).toBe('/p/liling/resources')
    expect(to.searchParams.get('q')).toBe('勾股定理')
  })
})
