/** Links between platforms and their own host names (app/lib/platform-links.ts). */
import { describe, expect, it } from 'vitest'
import { platformBase, platformHref, type LinkHere } from '~/lib/platform-links.ts'

const APP = 'http://localhost:3000'
const liling = { slug: 'liling', domain: 'liling.localhost' }
const zhuzhou = { slug: 'zhuzhou', domain: null }
const hunan = { slug: 'hunan', domain: null }
const onLilingHost: LinkHere = { hostSlug: 'liling', pageSlug: 'liling', appUrl: APP }
const onProvinceHost = (page: string): LinkHere => ({ hostSlug: null, pageSlug: page, appUrl: APP })

describe('platformHref', () => {
  it("on a platform's own host, its pages have short paths", () => {
    expect(platformHref(liling, '', onLilingHost)).toBe('/')
    expect(platformHref(liling, '/login', onLilingHost)).toBe('/login')
    expect(platformHref(liling, '/r/abc/download', onLilingHost)).toBe('/r/abc/download')
    expect(platformHref(liling, '/resources?node=jh&sort=newest#x', onLilingHost)).toBe(
      '/resources?node=jh&sort=newest#x',
    )
    expect(platformBase(liling, onLilingHost)).toBe('')
  })

  it("a parent without a host name is linked at the province's host, with its scheme and port", () => {
    expect(platformHref(zhuzhou, '', onLilingHost)).toBe('http://localhost:3000/p/zhuzhou')
    expect(platformHref(hunan, '/resources', onLilingHost)).toBe('http://localhost:3000/p/hunan/resources')
    expect(platformHref(zhuzhou, '', { ...onLilingHost, appUrl: 'https://edu.hunan.example.cn' })).toBe(
      'https://edu.hunan.example.cn/p/zhuzhou',
    )
  })

  it('a platform with a host name is linked there from anywhere else', () => {
    expect(platformHref(liling, '', onProvinceHost('zhuzhou'))).toBe('http://liling.localhost:3000/')
    // The scheme and port are the province's (APP_URL): https without a port in production.
    expect(platformHref(liling, '/r/x', { ...onProvinceHost('hunan'), appUrl: 'https://edu.example.cn' })).toBe(
      'https://liling.localhost/r/x',
    )
  })

  it("the page's own platform, served off its host, keeps its links where the visitor is", () => {
    // /p/liling on the province's host: the visitor stays there (and signed in), not sent to liling.localhost.
    expect(platformHref(liling, '/me', onProvinceHost('liling'))).toBe('/p/liling/me')
    expect(platformBase(liling, onProvinceHost('liling'))).toBe('/p/liling')
    // On the province's host, platforms without a host name are plain /p/<slug> paths.
    expect(platformHref(zhuzhou, '', onProvinceHost('liling'))).toBe('/p/zhuzhou')
    expect(platformHref(hunan, '', onProvinceHost('hunan'))).toBe('/p/hunan')
  })

  it('refuses a path that does not start with a slash (it would resolve against the page)', () => {
    expect(() => platformHref(liling, 'login', onLilingHost)).toThrow(/must start with/)
  })
})
