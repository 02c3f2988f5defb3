/**
 * The web layer's own protections, against the real server: bodies bounded as they arrive
 * (a chunked POST with no length is refused before it is parsed or buffered), the headers
 * (a nonce CSP on pages, HSTS over HTTPS, the CSRF cookie's `__Host-` prefix), which proxies
 * may speak for a client's address, and CSRF with no token or another visitor's token.
 */
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import express from 'express'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { createApp, loadBuild } from '~/server/index.ts'
import { csrfCookie } from '~/server/security.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
})

afterAll(async () => {
  await server?.close()
})

/** Streams `total` bytes as a chunked form POST (no Content-Length) and resolves with the status. */
function streamChunked(path: string, total: number) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    const url = new URL(server.base + path)
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
    })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    let done = false
    const finish = (status: number) => {
      if (done) return
      done = true
      req.destroy()
      resolve({ status, sent })
    }
    req.on('response', (res) => {
      res.resume()
      finish(res.statusCode ?? 0)
    })
    req.on('error', (e) => (done ? undefined : sent > 0 ? finish(-1) : reject(e)))
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}

describe('request bodies', () => {
  it('a 200 MB chunked POST with no length is refused with 413 and the process grows by less than 50 MB', async () => {
    global.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const r = await streamChunked('/p/liling/login', 200 * 1024 * 1024)
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    expect(r.status).toBe(413)
    expect(r.sent).toBeLessThan(200 * 1024 * 1024)
    expect((peak - before) / 1024 / 1024).toBeLessThan(50)
    // The server is still there for the next visitor.
    expect((await fetch(`${server.base}/p/liling`)).status).toBe(200)
  })

  it('a form over 1 MB with a Content-Length is refused with 413 and a Chinese message before it is parsed', async () => {
    const b = new Browser(server.base)
    const token = await b.csrfToken('/p/liling/login')
    const res = await b.post('/p/liling/login', { _csrf: token, identifier: 'x'.repeat(1_100_000), password: 'x' })
    expect(res.status).toBe(413)
    expect(await res.text()).toMatch(/过大/)
  })
})

describe('response headers', () => {
  it('pages carry a nonce Content-Security-Policy whose nonce is on every inline script and nowhere in the data', async () => {
    const res = await fetch(`${server.base}/p/liling`)
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp)?.[1]
    expect(nonce, csp).toBeTruthy()
    expect(csp).toMatch(/script-src[^;]*'nonce-/)
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'self'/)
    const html = await res.text()
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const attrs of scripts.filter((a) => !/\bsrc=/.test(a) && !/type="application\/(ld\+)?json"/.test(a)))
      expect(attrs).toContain(`nonce="${nonce}"`)
    // A second request gets a different nonce.
    const again = (await fetch(`${server.base}/p/liling`)).headers.get('content-security-policy')
    expect(again).not.toBe(csp)
  })

  it('sends HSTS only over HTTPS (as said by a trusted proxy), never over plain HTTP', async () => {
    const plain = await fetch(`${server.base}/p/liling`)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const secure = await fetch(`${server.base}/p/liling`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
  })

  it('names the CSRF cookie with the __Host- prefix (Secure, Path=/, no Domain) when cookies are secure', async () => {
    const app = express()
    app.use(csrfCookie(true))
    app.get('/', (_req, res) => void res.send('ok'))
    const s = await new Promise<http.Server>((r) => {
      const x = app.listen(0, '127.0.0.1', () => r(x))
    })
    const port = (s.address() as { port: number }).port
    const cookie = (await fetch(`http://127.0.0.1:${port}/`)).headers.get('set-cookie') ?? ''
    s.close()
    expect(cookie).toMatch(/^__Host-erc_csrf=/)
    expect(cookie).toMatch(/;\s*Secure/i)
    expect(cookie).toMatch(/;\s*Path=\//i)
    expect(cookie).not.toMatch(/Domain=/i)
  })
})

describe('trusted proxies', () => {
  it('believes X-Forwarded-For only from loopback by default, not from any private address', async () => {
    const app = await createApp(await loadBuild())
    const trust = app.get('trust proxy fn') as (addr: string, i: number) => boolean
    expect(trust('127.0.0.1', 0)).toBe(true)
    for (const addr of ['10.1.2.3', '192.168.1.20', '172.16.5.5', 'fd00::1', '169.254.1.1'])
      expect(trust(addr, 0), addr).toBe(false)
  })
})

describe('CSRF', () => {
  it('refuses a POST without a token and with another session’s token, and accepts the right one', async () => {
    const b = new Browser(server.base)
    const creds = { identifier: PHONES.lilingTeacher, password: DEMO_PASSWORD }
    await b.csrfToken('/p/liling/login')
    expect((await b.post('/p/liling/login', creds)).status).toBe(403)
    const other = new Browser(server.base)
    const otherToken = await other.csrfToken('/p/liling/login')
    expect((await b.post('/p/liling/login', { ...creds, _csrf: otherToken })).status).toBe(403)
    const token = await b.csrfToken('/p/liling/login')
    expect((await b.post('/p/liling/login', { ...creds, _csrf: token })).status).toBe(302)
  })
})
