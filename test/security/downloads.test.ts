/**
 * Downloading an original, as a user clicks it, through the real server on the local-disk
 * store laid out as in the demo (under `.data/`): the owner gets the very bytes, on the
 * platform's own host name the link stays on that host, and nobody else gets anything: not
 * another county's teacher (IDOR), not a tampered or re-aimed link, not a link of another kind.
 */
import './support/dotted-storage-root.ts'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource, type MediaFixture } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let published: MediaFixture
let draft: MediaFixture
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  await prisma.platform.update({ where: { slug: 'liling' }, data: { domain: 'liling.localhost' } }).catch(() => {})
  published = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '可下载的课件',
    kind: 'DOCUMENT',
  })
  draft = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '未发布的课件',
    kind: 'DOCUMENT',
    status: 'DRAFT',
  })
})

afterAll(async () => {
  await server?.close()
})

async function bytesOf(key: string) {
  const chunks: Buffer[] = []
  for await (const c of await storage.get(key)) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** Follows the download redirect the way a browser does (relative to the page's host). */
async function clickDownload(b: Browser, platformPath: string, id: string) {
  const res = await b.get(`${platformPath}/r/${id}/download`)
  if (res.status !== 302) return { status: res.status, location: null, body: null as Buffer | null }
  const location = res.headers.get('location')!
  const url = new URL(location, 'http://liling.localhost')
  const file = await fetch(server.base + url.pathname + url.search, { headers: b.headers })
  return { status: file.status, location, body: Buffer.from(await file.arrayBuffer()), file }
}

describe('downloading an original on the local-disk store', () => {
  it('gives the signed-in teacher the stored bytes (sha256 compared), with the file name', async () => {
    const teacher = new Browser(server.base)
    await teacher.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    const got = await clickDownload(teacher, '/p/liling', published.id)
    expect(got.status).toBe(200)
    const f = await prisma.resourceFile.findUniqueOrThrow({ where: { id: published.fileId } })
    expect(sha256(got.body!)).toBe(sha256(await bytesOf(f.storageKey!)))
    expect(got.file!.headers.get('content-disposition')).toContain(encodeURIComponent('勾股定理课件.pdf'))
  })

  it('keeps the link on the platform’s own host name instead of the configured app address', async () => {
    const teacher = new Browser(server.base, { host: 'liling.localhost' })
    await teacher.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    const res = await teacher.get(`/p/liling/r/${published.id}/download`)
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(new URL(location, 'http://liling.localhost').host).toBe('liling.localhost')
  })

  it('refuses another county’s teacher a draft’s download (not found), and anonymous visitors are sent to sign in', async () => {
    const stranger = new Browser(server.base)
    await stranger.signIn('xiangtanxian', PHONES.xiangtanxianTeacher, DEMO_PASSWORD)
    expect((await clickDownload(stranger, '/p/liling', draft.id)).status).toBe(404)
    expect((await clickDownload(stranger, '/p/xiangtanxian', draft.id)).status).toBe(404)
    const anon = await fetch(`${server.base}/p/liling/r/${published.id}/download`, { redirect: 'manual' })
    expect(anon.status).toBe(302)
    expect(anon.headers.get('location')).toContain('/login')
  })

  it('refuses a link that was tampered with or re-aimed at another file', async () => {
    const teacher = new Browser(server.base)
    await teacher.signIn('liling', PHONES.lilingTeacher2, DEMO_PASSWORD)
    const res = await teacher.get(`/p/liling/r/${published.id}/download`)
    const location = new URL(res.headers.get('location')!, server.base)
    const other = await prisma.resourceFile.findUniqueOrThrow({ where: { id: draft.fileId } })
    // Aim the same signature at the draft's original: in the query's key, or inside the token's body.
    const reaimed = location.pathname.replace(/originals\/[^?]+/, other.storageKey!) + location.search
    const token = /^\/files\/([^/.]+)\.([^/]+)\//.exec(location.pathname)
    const forgedBody = token
      ? Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(token[1]!, 'base64url').toString()), key: other.storageKey }),
        ).toString('base64url')
      : ''
    const variants = [
      token ? location.pathname.replace(token[1]!, forgedBody) : reaimed,
      token ? location.pathname.replace(token[2]!, token[2]!.slice(0, -4) + 'AAAA') : reaimed,
      ...(location.search ? [location.pathname + location.search.replace(/sig=[^&]+/, 'sig=AAAA')] : []),
      location.pathname.replace(/^\/files\//, '/media/') + location.search,
    ]
    // Traversal after a valid token: the name segment is never a path.
    if (token)
      for (const tail of ['../../../../etc/passwd', '..%2F..%2F..%2Fetc%2Fpasswd', 'a/b.pdf', '%2e%2e', 'x%5C..%5Cy'])
        variants.push(location.pathname.replace(/[^/]+$/, tail))
    for (const v of variants) {
      const r = await fetch(server.base + v)
      expect([403, 404], v).toContain(r.status)
      expect(await r.text()).not.toContain('original-')
    }
  })
})
