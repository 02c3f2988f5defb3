/**
 * Stored XSS in every user-written field (title, description, comment, collection name,
 * branding), read back in the HTML pages and the JSON API that show them; and reads across
 * platforms: another county's drafts and admin data stay out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { addComment } from '~/services/engagement/comments.server.ts'
import { addToCollection } from '~/services/engagement/collections.server.ts'
import { updatePlatformBranding } from '~/services/platform/update-platform-branding.server.ts'
import { actorByPhone, DEMO_PASSWORD, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource, type MediaFixture } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let published: MediaFixture
let draft: MediaFixture
const PAYLOADS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', '</script><svg onload=alert(2)>']
const HOSTILE = PAYLOADS.join(' ')

/** What must never appear unescaped in a page: a tag or an attribute the payloads try to plant. */
function expectNoLiveMarkup(html: string, where: string) {
  expect(html, where).not.toContain('<script>alert')
  expect(html, where).not.toContain('<img src=x onerror')
  expect(html, where).not.toContain('<svg onload')
  expect(html, where).not.toMatch(/<\/script><svg/)
}

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  published = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '勾股定理' + HOSTILE,
    kind: 'DOCUMENT',
  })
  await prisma.resource.update({ where: { id: published.id }, data: { description: '描述' + HOSTILE } })
  draft = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '醴陵的草稿',
    kind: 'DOCUMENT',
    status: 'DRAFT',
  })
  const liling = await platformBySlug('liling')
  const teacher = await actorByPhone(PHONES.lilingTeacher2)
  await addComment(teacher, published.id, liling, '评论' + HOSTILE)
  // Collection names are at most 30 characters.
  await addToCollection(teacher, published.id, liling, { newName: '藏<img src=x onerror=alert(1)>' })
  const admin = await actorByPhone(PHONES.lilingAdmin)
  await updatePlatformBranding(admin, liling.id, {
    name: '醴陵市' + PAYLOADS[1],
    bannerText: '横幅' + PAYLOADS[0],
    primaryColor: '#225588',
    accentColor: '#dd7722',
    logoUrl: '',
  })
})

afterAll(async () => {
  await server?.close()
})

describe('stored XSS', () => {
  it('title, description and comments are escaped on the resource page, in its JSON-LD and in search', async () => {
    const page = await (await fetch(`${server.base}/p/liling/r/${published.id}`)).text()
    expect(page).toContain('勾股定理')
    expect(page).toContain('&lt;script&gt;alert')
    expectNoLiveMarkup(page, 'resource page')
    const ld = /<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? ''
    expect(ld).toContain('\\u003cscript')
    expect(JSON.parse(ld).name).toContain('<script>alert')
    const search = await (await fetch(`${server.base}/p/liling/resources?q=${encodeURIComponent('勾股定理')}`)).text()
    expectNoLiveMarkup(search, 'search page')
    const api = await fetch(`${server.base}/p/liling/api/search?q=${encodeURIComponent('勾股定理')}`)
    expect(api.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('a collection name is escaped in 我的空间', async () => {
    const b = new Browser(server.base)
    await b.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    const html = await (await b.get('/p/liling/me?tab=collections')).text()
    expect(html).toContain('藏&lt;img src=x onerror=alert(1)&gt;')
    expectNoLiveMarkup(html, '我的空间')
  })

  it('branding (name and banner) is escaped on the portal', async () => {
    const html = await (await fetch(`${server.base}/p/liling`)).text()
    expect(html).toContain('横幅')
    expectNoLiveMarkup(html, 'portal')
  })
})

describe('across platforms', () => {
  it('another county’s teacher cannot read a draft, by page, by API or by download', async () => {
    const stranger = new Browser(server.base)
    await stranger.signIn('xiangtanxian', PHONES.xiangtanxianTeacher, DEMO_PASSWORD)
    for (const path of [
      `/p/liling/r/${draft.id}`,
      `/p/xiangtanxian/r/${draft.id}`,
      `/p/liling/api/resources/${draft.id}`,
      `/p/liling/r/${draft.id}/download`,
    ]) {
      const res = await stranger.get(path)
      expect(res.status, path).toBe(404)
      expect(await res.text(), path).not.toContain('醴陵的草稿')
    }
  })

  it('another county’s admin cannot read this county’s admin page, members or audit log', async () => {
    const other = new Browser(server.base)
    await other.signIn('changsha', PHONES.changshaAdmin, DEMO_PASSWORD)
    for (const path of ['/p/liling/admin', '/p/liling/audit', '/p/liling/audit.csv']) {
      const res = await other.get(path)
      expect(res.status, path).toBe(403)
      expect(await res.text(), path).not.toContain(PHONES.lilingTeacher)
    }
  })
})
