/**
 * Platforms at their own address: on a platform's host name (醴陵 at liling.localhost) the
 * platform's pages answer at short paths (/login, /admin, /r/<id>). A short path must only ever
 * reach the platform bound to the host it was asked on: on a host that is no platform's it
 * answers as before (/ → the default platform, anything else 404), and nothing in the request
 * (a query, a dotted path, a forwarded host, a data request naming other routes) can aim it at
 * another platform. The cross-site and token checks hold on the host too.
 */
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser as FetchBrowser, startTestServer } from '../factories/http.ts'
import { mediaResource, type MediaFixture } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let changshaOnly: MediaFixture

/**
 * The cookie-keeping client of test/factories/http.ts, sending its requests with node:http: fetch
 * drops a Host header set by the caller (it always sends the URL's), and this file is about hosts.
 */
class Browser extends FetchBrowser {
  private send(method: string, path: string, headers: Record<string, string>, body?: string) {
    const url = new URL(this.base + path)
    return new Promise<Response>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const h = new Headers()
            for (const [k, v] of Object.entries(res.headers))
              for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one)
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: h }))
          })
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      if (/max-age=0/i.test(c) || pair!.slice(i + 1) === '') this.cookies.delete(pair!.slice(0, i))
      else this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1))
    }
    return res
  }

  override async get(path: string) {
    return this.keep(await this.send('GET', path, { ...this.headers, cookie: this.cookieHeader() }))
  }

  override async post(path: string, fields: Record<string, string>, extraHeaders: Record<string, string> = {}) {
    const body = new URLSearchParams(fields).toString()
    const headers = {
      ...this.headers,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      cookie: this.cookieHeader(),
      ...extraHeaders,
    }
    return this.keep(await this.send('POST', path, headers, body))
  }
}

const LILING = { host: 'liling.localhost' }
const NO_PLATFORM = { host: 'nobody.localhost' }

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  await prisma.platform.update({ where: { slug: 'liling' }, data: { domain: 'liling.localhost' } })
  // Published on 长沙 only: not in 醴陵's portal (a county in 株洲).
  changshaOnly = await mediaResource({
    phone: PHONES.changshaxianTeacher,
    slug: 'changsha',
    title: '长沙市公开课',
    kind: 'DOCUMENT',
  })
})

afterAll(async () => {
  await server?.close()
})

/** Signs in through the sign-in page at its short path on the browser's host. */
async function signInShort(b: Browser, phone: string) {
  const token = await b.csrfToken('/login')
  const res = await b.post('/login', { _csrf: token, identifier: phone, password: DEMO_PASSWORD })
  expect(res.status, `sign-in of ${phone}`).toBe(302)
  return res
}

const platformOf = (html: string) => /data-platform="([a-z0-9-]+)"/.exec(html)?.[1] ?? null

describe('short paths on a host that is no platform’s', () => {
  it('answer as before: / goes to the default platform, /login, /admin and /r/<id> are 404 and show no platform', async () => {
    for (const headers of [NO_PLATFORM, {}] as Record<string, string>[]) {
      const b = new Browser(server.base, headers)
      const home = await b.get('/')
      expect(home.status).toBe(302)
      expect(home.headers.get('location')).toBe('/p/hunan')
      for (const path of [
        '/login',
        '/admin',
        '/resources',
        `/r/${changshaOnly.id}`,
        '/admin.data',
        '/audit.csv',
        '/api/search',
      ]) {
        const res = await b.get(path)
        expect(res.status, `${headers.host ?? '127.0.0.1'}${path}`).toBe(404)
        const body = await res.text()
        expect(platformOf(body), path).toBeNull()
        expect(body, path).not.toContain('name="password"')
      }
    }
  })

  it('even for the province’s admin, signed in: /admin there is no admin page', async () => {
    const admin = new Browser(server.base, NO_PLATFORM)
    await admin.signIn('hunan', PHONES.provinceAdmin, DEMO_PASSWORD)
    const res = await admin.get('/admin')
    expect(res.status).toBe(404)
    expect(platformOf(await res.text())).toBeNull()
    expect((await admin.get('/p/hunan/admin')).status).toBe(200) // the long path is unchanged
  })
})

describe('short paths on a platform’s host', () => {
  it('reach that platform only: its admin gets its admin page, another city’s admin gets 403 and nothing of theirs', async () => {
    const lilingAdmin = new Browser(server.base, LILING)
    await signInShort(lilingAdmin, PHONES.lilingAdmin)
    const own = await lilingAdmin.get('/admin')
    expect(own.status).toBe(200)
    expect(platformOf(await own.text())).toBe('liling')

    const changshaAdmin = new Browser(server.base, LILING)
    await signInShort(changshaAdmin, PHONES.changshaAdmin)
    for (const path of [
      '/admin',
      '/admin?slug=changsha',
      '/admin/resources?platform=changsha',
      '/audit',
      '/audit.csv',
      // a data request naming the /p/:slug routes' ids loads nothing of another platform either
      '/admin.data?_routes=routes/p.$slug,routes/p.$slug.admin',
    ]) {
      const res = await changshaAdmin.get(path)
      const body = await res.text()
      expect(body, path).not.toContain('长沙市教育资源平台')
      expect(body, path).not.toMatch(/data-platform="changsha"|"slug","changsha"/)
    }
    expect((await changshaAdmin.get('/admin')).status).toBe(403)
  })

  it('cannot be re-aimed by the path, the case of the host, or a forwarded host', async () => {
    const changshaAdmin = new Browser(server.base, LILING)
    await signInShort(changshaAdmin, PHONES.changshaAdmin)
    // A path that would normalise to another platform's admin is that path, not a short one.
    for (const path of ['/p/../p/changsha/admin', '/./admin', '//p/changsha/admin']) {
      const res = await changshaAdmin.get(path)
      const body = await res.text()
      if (res.status === 200)
        expect(platformOf(body), path).toBe('changsha') // reached by its own long path
      else expect(body, path).not.toContain('长沙市教育资源平台')
    }
    const upper = new Browser(server.base, { host: 'LILING.localhost' })
    expect(platformOf(await (await upper.get('/resources')).text())).toBe('liling')
    const forwarded = new Browser(server.base, { ...LILING, 'x-forwarded-host': 'changsha.localhost' })
    expect(platformOf(await (await forwarded.get('/resources')).text())).toBe('liling')
    const trailingDot = new Browser(server.base, { host: 'liling.localhost.' })
    expect((await trailingDot.get('/admin')).status).toBe(404)
  })

  it('show a resource only within that platform’s portal: another city’s resource is 404 at /r/<id>', async () => {
    const teacher = new Browser(server.base, LILING)
    await signInShort(teacher, PHONES.lilingTeacher)
    expect((await teacher.get(`/r/${changshaOnly.id}`)).status).toBe(404)
    expect((await teacher.get(`/r/${changshaOnly.id}/download`)).status).toBe(404)
    // …the same answer as its long path on the host; the resource itself exists on 长沙's portal.
    expect((await teacher.get(`/p/liling/r/${changshaOnly.id}`)).status).toBe(404)
    expect((await new Browser(server.base).get(`/p/changsha/r/${changshaOnly.id}`)).status).toBe(200)
    // The search API at its short path answers for the host's platform, within its scope too.
    const ids = async (b: Browser, path: string) => {
      const res = await b.get(path)
      expect(res.status, path).toBe(200)
      return ((await res.json()) as { hits: { id: string }[] }).hits.map((h) => h.id)
    }
    expect(await ids(new Browser(server.base), '/p/changsha/api/search?q=长沙市公开课')).toContain(changshaOnly.id)
    expect(await ids(teacher, '/api/search?q=长沙市公开课')).not.toContain(changshaOnly.id)
  })

  it('keep the cross-site and token checks: a form from another origin or without its token is refused', async () => {
    const b = new Browser(server.base, LILING)
    const token = await b.csrfToken('/login')
    const fields = { _csrf: token, identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD }
    const crossSite = await b.post('/login', fields, { origin: 'http://localhost:3000' })
    expect(crossSite.status).toBe(403)
    const fetchSite = await b.post('/login', fields, { 'sec-fetch-site': 'cross-site' })
    expect(fetchSite.status).toBe(403)
    const noToken = await b.post('/login', { identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD })
    expect(noToken.status).toBe(403)
    expect(b.cookieHeader()).not.toMatch(/erc_session=/)
    // The same form from the host itself signs in, and lands on the host's own short home.
    const ok = await b.post('/login', { ...fields, redirectTo: '/resources' }, { origin: 'http://liling.localhost' })
    expect(ok.status).toBe(302)
    expect(ok.headers.get('location')).toBe('/resources')
    expect(platformOf(await (await b.get('/me')).text())).toBe('liling')
  })
})
