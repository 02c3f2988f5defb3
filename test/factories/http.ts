/** The real Express + Remix server on an ephemeral port, and a small cookie-keeping client. */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createApp, loadBuild } from '~/server/index.ts'

export async function startTestServer() {
  const app = await createApp(await loadBuild())
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  // Tests pause between requests (an ffmpeg run, a poll); with Node's 5 s default the server may
  // close an idle keep-alive socket just as fetch reuses it (ECONNRESET on a loaded machine).
  // The client's own idle timeout (the server's hint less a second) then always ends it first.
  server.keepAliveTimeout = 65_000
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    // Keep-alive sockets would hold close() open for their 65 s: a finished test ends them all.
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

export class Browser {
  cookies = new Map<string, string>()
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      const name = pair!.slice(0, i)
      const value = pair!.slice(i + 1)
      if (/max-age=0/i.test(c) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async get(path: string) {
    const res = await fetch(this.base + path, {
      redirect: 'manual',
      headers: { ...this.headers, cookie: this.cookieHeader() },
    })
    this.store(res)
    return res
  }

  /** The CSRF token a page's forms carry. */
  async csrfToken(path: string) {
    const html = await (await this.get(path)).text()
    const m = /name="_csrf" value="([^"]+)"/.exec(html)
    if (!m) throw new Error(`no CSRF token on ${path}`)
    return m[1]!
  }

  async post(path: string, fields: Record<string, string>, extraHeaders: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        ...this.headers,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
        ...extraHeaders,
      },
      body: new URLSearchParams(fields),
    })
    this.store(res)
    return res
  }

  async signIn(platform: string, identifier: string, password: string) {
    const token = await this.csrfToken(`/p/${platform}/login`)
    return this.post(`/p/${platform}/login`, { _csrf: token, identifier, password })
  }
}
