/**
 * Server-rendered pages are clean UTF-8: no stray NUL bytes. React 18.3's streaming renderer can
 * flush unused zero bytes of its 2 KB buffer when a 3-byte character (any Chinese one) does not
 * fit at the buffer's end (facebook/react#24985, #31134); Chinese pages crossed that boundary
 * and showed "字幕的\0\0开始". app/entry.server.tsx strips them; this checks the pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../factories/index.ts'
import { startTestServer } from '../factories/http.ts'
import { configureResourcesIndex } from '../../search/resources-index.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server

beforeAll(async () => {
  await seedDemo()
  await configureResourcesIndex()
  server = await startTestServer()
})
afterAll(async () => {
  await server?.close()
})

describe('server-rendered HTML', () => {
  it('has no NUL byte on Chinese pages of every size (sign-in, portal, catalogue, registration, search)', async () => {
    const paths = [
      '/p/liling/login',
      '/p/liling/register',
      '/p/liling/forgot-password',
      '/p/liling',
      '/p/hunan',
      '/p/zhuzhou',
      '/p/liling/resources',
      '/p/hunan/resources?q=勾股定理',
      '/p/hunan/resources?q=牛顿第二定律',
    ]
    let checked = 0
    for (const p of paths) {
      const res = await fetch(server.base + encodeURI(p))
      expect(res.status, p).toBe(200)
      const bytes = Buffer.from(await res.arrayBuffer())
      expect(bytes.length, p).toBeGreaterThan(2048)
      expect(bytes.indexOf(0), `${p}: NUL at byte ${bytes.indexOf(0)} of ${bytes.length}`).toBe(-1)
      checked++
    }
    expect(checked).toBe(paths.length)
  })
})
