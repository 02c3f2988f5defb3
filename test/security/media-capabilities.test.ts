/**
 * Media links are capabilities: each opens exactly what it names, for whom and until when.
 * Against the real server: a thumbnail link cannot be widened into the video or the pages, a
 * preview is cut where it says, a token of one kind is refused where another is expected, and
 * a link stops working within seconds of what made it valid ending (a role revoked, a sign-out,
 * a resource sent back to draft, a takedown).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { DEMO_PASSWORD, PHONES, seedDemo, until } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource, mediaUrlsIn, type MediaFixture } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let freeVideo: MediaFixture
let premiumVideo: MediaFixture
let premiumDoc: MediaFixture
let draftVideo: MediaFixture

/** Swaps the path after a /media token: what someone editing a link in the address bar does. */
const retarget = (url: string, rel: string) => url.replace(/^(\/(?:media|thumbs)\/[^/]+\/).*$/, `$1${rel}`)

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  freeVideo = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '勾股定理免费微课',
    kind: 'VIDEO',
  })
  premiumVideo = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '勾股定理精品微课',
    kind: 'VIDEO',
    licence: 'PREMIUM',
    length: 300,
  })
  premiumDoc = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '勾股定理精品课件',
    kind: 'DOCUMENT',
    licence: 'PREMIUM',
    length: 12,
  })
  draftVideo = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '勾股定理草稿微课',
    kind: 'VIDEO',
    status: 'SUBMITTED',
  })
})

afterAll(async () => {
  await server?.close()
})

async function thumbFromSearch(title: string) {
  const res = await fetch(`${server.base}/p/liling/api/search?q=${encodeURIComponent(title)}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { hits: { id: string; thumb: string | null }[] }
  const hit = body.hits.find((h) => h.thumb)
  expect(hit?.thumb, `a search hit for ${title} with a thumbnail`).toBeTruthy()
  return { thumb: hit!.thumb!, cacheControl: res.headers.get('cache-control') ?? '' }
}

async function pageMedia(b: Browser | null, id: string) {
  const res = b ? await b.get(`/p/liling/r/${id}`) : await fetch(`${server.base}/p/liling/r/${id}`)
  expect(res.status).toBe(200)
  return { urls: mediaUrlsIn(await res.text()), cacheControl: res.headers.get('cache-control') ?? '' }
}

const status = async (url: string, b?: Browser) => (b ? await b.get(url) : await fetch(server.base + url)).status

describe('a thumbnail link', () => {
  it('opens its one picture and refuses every other path of the same file (playlist, MP4, pages, text)', async () => {
    const { thumb } = await thumbFromSearch('勾股定理精品微课')
    expect(await status(thumb)).toBe(200)
    for (const rel of ['hls/master.m3u8', 'hls/720p/index.m3u8', 'hls/720p/seg_0040.ts', 'mp4/fallback.mp4']) {
      expect(await status(retarget(thumb, rel)), rel).toBe(403)
      // The same token presented to the player's route.
      expect(await status(`/media/${thumb.split('/')[2]}/${rel}`), `/media … ${rel}`).toBe(403)
    }
    const doc = await thumbFromSearch('勾股定理精品课件')
    for (const rel of ['pages/p-0002.webp', 'pages/p-0010.webp', 'pdf/document.pdf', 'text/text.txt']) {
      expect(await status(retarget(doc.thumb, rel)), rel).toBe(403)
    }
  })

  it('is not cacheable by shared caches in the search API that hands it out', async () => {
    const { cacheControl } = await thumbFromSearch('勾股定理精品微课')
    expect(cacheControl).toMatch(/private|no-store/)
    expect(cacheControl).not.toMatch(/public/)
  })
})

describe('a premium resource without a licence', () => {
  it('gets a preview player whose playlist stops at 60 s and whose later segments are refused', async () => {
    const stranger = new Browser(server.base)
    await stranger.signIn('xiangtanxian', PHONES.xiangtanxianTeacher, DEMO_PASSWORD)
    const { urls } = await pageMedia(stranger, premiumVideo.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))
    expect(master, 'a preview player on the page').toBeTruthy()
    expect(urls.some((u) => u.includes('mp4/'))).toBe(false)
    const playlist = await (await stranger.get(retarget(master!, 'hls/720p/index.m3u8'))).text()
    const segments = playlist.split('\n').filter((l) => l.startsWith('seg_'))
    expect(segments).toHaveLength(15) // 15 × 4 s = 60 s
    expect(playlist).toContain('#EXT-X-ENDLIST')
    expect(await status(retarget(master!, 'hls/720p/seg_0014.ts'), stranger)).toBe(200)
    for (const rel of ['hls/720p/seg_0015.ts', 'hls/720p/seg_0070.ts', 'hls/360p/seg_0020.ts', 'mp4/fallback.mp4'])
      expect(await status(retarget(master!, rel), stranger), rel).toBe(403)
  })

  it('shows the first 3 pages of a document and refuses page 4, the PDF and the text', async () => {
    const { urls } = await pageMedia(null, premiumDoc.id)
    const page = urls.find((u) => u.includes('pages/p-0001.webp'))
    expect(page, 'a preview viewer on the page').toBeTruthy()
    for (const n of ['0001', '0002', '0003']) expect(await status(retarget(page!, `pages/p-${n}.webp`))).toBe(200)
    for (const rel of ['pages/p-0004.webp', 'pages/p-0012.webp', 'pdf/document.pdf', 'text/text.txt'])
      expect(await status(retarget(page!, rel)), rel).toBe(403)
  })
})

describe('a token of one kind', () => {
  it('is refused where another kind is expected (a thumbnail token as a player token or a download)', async () => {
    const { thumb } = await thumbFromSearch('勾股定理免费微课')
    const token = thumb.split('/')[2]!
    expect(await status(`/files/${token}`)).toBe(403)
    const { urls } = await pageMedia(null, freeVideo.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))!
    const mediaToken = master.split('/')[2]!
    expect(await status(`/files/${mediaToken}`)).toBe(403)
    // A forged or truncated token.
    expect(await status(master.replace(/\.[A-Za-z0-9_-]+\//, '.AAAA/'))).toBe(403)
  })
})

describe('a link stops working when what made it valid ends', () => {
  it('a reviewer whose role is revoked loses a draft’s player within seconds', async () => {
    const reviewer = new Browser(server.base)
    await reviewer.signIn('liling', PHONES.lilingReviewer, DEMO_PASSWORD)
    const { urls } = await pageMedia(reviewer, draftVideo.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))
    expect(master, 'the reviewer sees the draft’s player').toBeTruthy()
    expect(await status(master!, reviewer)).toBe(200)
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingReviewer } })
    await prisma.roleAssignment.deleteMany({ where: { userId: user.id, role: 'REVIEWER' } })
    const t0 = Date.now()
    await until(async () => (await status(master!, reviewer)) === 403, 15_000)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('a player link of a draft does not work for anyone but the session it was made for', async () => {
    const owner = new Browser(server.base)
    await owner.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
    const { urls } = await pageMedia(owner, draftVideo.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))!
    expect(await status(master, owner)).toBe(200)
    expect(await status(master)).toBe(403) // the same link, anonymous
    const other = new Browser(server.base)
    await other.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    expect(await status(master, other)).toBe(403)
    // Signing out ends it.
    const csrf = await owner.csrfToken('/p/liling')
    await owner.post('/logout', { _csrf: csrf })
    await until(async () => (await status(master, owner)) === 403, 15_000)
  })

  it('a published resource sent back to draft stops its public links within seconds', async () => {
    const r = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '退回草稿的微课',
      kind: 'VIDEO',
    })
    const { urls } = await pageMedia(null, r.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))!
    expect(await status(master)).toBe(200)
    await prisma.resource.update({ where: { id: r.id }, data: { status: 'CHANGES_REQUESTED' } })
    const t0 = Date.now()
    await until(async () => (await status(master)) === 403, 15_000)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })
})

describe('pages that carry tokens', () => {
  it('are not cacheable by shared caches (the resource page and the portal home page)', async () => {
    const { cacheControl } = await pageMedia(null, freeVideo.id)
    expect(cacheControl).toMatch(/private|no-store/)
    const home = await fetch(`${server.base}/p/liling`)
    expect(home.headers.get('cache-control') ?? '').toMatch(/private|no-store/)
  })
})

describe('/media paths', () => {
  it('never reach outside the token’s own file: traversal, encoded traversal and backslashes are refused', async () => {
    const { urls } = await pageMedia(null, freeVideo.id)
    const master = urls.find((u) => u.endsWith('hls/master.m3u8'))!
    const token = master.split('/')[2]!
    const ref = `${freeVideo.platformId}/${freeVideo.id}/${freeVideo.fileId}`
    for (const tail of [
      `../../../../originals/${ref}`,
      `..%2F..%2F..%2F..%2Foriginals%2F${ref.replaceAll('/', '%2F')}`,
      `%2e%2e/%2e%2e/%2e%2e/%2e%2e/originals/${ref}`,
      `hls\\..\\..\\..\\..\\originals\\${ref.replaceAll('/', '\\')}`,
      'hls/%00master.m3u8',
      `hls/..%5c..%5c..%5coriginals`,
    ]) {
      const res = await fetch(`${server.base}/media/${token}/${tail}`)
      expect([400, 403, 404], tail).toContain(res.status)
      expect(await res.text()).not.toContain('original-')
    }
  })
})
