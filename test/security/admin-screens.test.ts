/**
 * The admins' screens over HTTP (issue 10): the resource management page and its bulk takedown
 * belong to the platform's admins and those above; another county's admin, a city admin
 * elsewhere and a teacher are refused, and an id from another county is never acted on from
 * one's own page. The logo route serves the processed logo of the platform it names and nothing
 * else: no other object, no upload as sent, no old logo, no other platform's.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
import { FIXTURES, generateFixtures } from '../fixtures/generate.ts'
import { DEMO_PASSWORD, PHONES, platformBySlug, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource, type MediaFixture } from '../factories/media-fixture.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let lilingA: MediaFixture
let lilingB: MediaFixture
const YOUXIAN_ADMIN = '13900000051'

async function signedIn(slug: string, phone: string) {
  const b = new Browser(server.base)
  expect((await b.signIn(slug, phone, DEMO_PASSWORD)).status).toBe(302)
  return b
}

/** A bulk takedown as the page's confirmation step sends it. */
async function bulkTakedown(b: Browser, slug: string, ids: string[]) {
  const page = `/p/${slug}/admin/resources`
  const token = await b.csrfToken(`/p/${slug}/admin`)
  const body = new URLSearchParams({ _csrf: token, intent: 'takedown', confirmed: 'yes', reason: 'OTHER' })
  for (const id of ids) body.append('ids', id)
  return fetch(server.base + page, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookieHeader() },
    body,
  })
}

async function uploadLogo(b: Browser, slug: string, bytes: Buffer, name = 'logo.png') {
  const token = await b.csrfToken(`/p/${slug}/admin`)
  const form = new FormData()
  form.set('_csrf', token)
  form.set('intent', 'logo')
  form.set('logo', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name)
  return fetch(`${server.base}/p/${slug}/admin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: b.cookieHeader() },
    body: form,
  })
}

const status = async (id: string) => (await prisma.resource.findUniqueOrThrow({ where: { id } })).status

beforeAll(async () => {
  await generateFixtures()
  await seedDemo()
  // An admin of another county (攸县, Liling's sibling under 株洲).
  const youxian = await platformBySlug('youxian')
  const someone = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingAdmin } })
  const user = await prisma.user.create({
    data: {
      displayName: '攸县管理员',
      phone: YOUXIAN_ADMIN,
      passwordHash: someone.passwordHash,
      homePlatformId: youxian.id,
    },
  })
  await prisma.roleAssignment.create({ data: { userId: user.id, platformId: youxian.id, role: 'PLATFORM_ADMIN' } })
  server = await startTestServer()
  lilingA = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '醴陵 管理页 甲',
    kind: 'DOCUMENT',
  })
  lilingB = await mediaResource({
    phone: PHONES.lilingTeacher,
    slug: 'liling',
    title: '醴陵 管理页 乙',
    kind: 'DOCUMENT',
  })
})

afterAll(async () => {
  await server?.close()
})

describe('the resource management page', () => {
  it("is Liling's admins': the page lists Liling's resources and the bulk takedown works", async () => {
    const admin = await signedIn('liling', PHONES.lilingAdmin)
    const res = await admin.get('/p/liling/admin/resources?q=' + encodeURIComponent('管理页'))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('醴陵 管理页 甲')
    expect(html).toContain('醴陵 管理页 乙')
  })

  it("another county's admin, a city admin elsewhere and a teacher are refused the page and the action", async () => {
    const youxian = await signedIn('youxian', YOUXIAN_ADMIN)
    const changsha = await signedIn('changsha', PHONES.changshaAdmin)
    const teacher = await signedIn('liling', PHONES.lilingTeacher)
    const reviewer = await signedIn('liling', PHONES.lilingReviewer)
    for (const [who, b] of [
      ['youxian admin', youxian],
      ['changsha admin', changsha],
      ['liling teacher', teacher],
      ['liling reviewer', reviewer],
    ] as const) {
      const page = await b.get('/p/liling/admin/resources')
      expect([403, 404], `${who} GET`).toContain(page.status)
      expect(await page.text(), who).not.toContain('醴陵 管理页 甲')
      // A valid CSRF token (from a page this user may open); the POST goes to Liling's page.
      const token = await b.csrfToken(b === youxian ? '/p/youxian' : b === changsha ? '/p/changsha' : '/p/liling')
      const body = new URLSearchParams({ _csrf: token, intent: 'takedown', confirmed: 'yes', reason: 'OTHER' })
      body.append('ids', lilingA.id)
      const refused = await fetch(`${server.base}/p/liling/admin/resources`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookieHeader() },
        body,
      })
      expect([403, 404], `${who} POST`).toContain(refused.status)
    }
    expect(await status(lilingA.id)).toBe('PUBLISHED')
  })

  it("a Liling id sent from another county's own page is not acted on", async () => {
    const youxian = await signedIn('youxian', YOUXIAN_ADMIN)
    const res = await bulkTakedown(youxian, 'youxian', [lilingA.id, lilingB.id])
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('不是本平台的资源')
    expect(await status(lilingA.id)).toBe('PUBLISHED')
    expect(await status(lilingB.id)).toBe('PUBLISHED')
    expect(await prisma.auditLog.count({ where: { action: 'resource.takedown', targetId: lilingA.id } })).toBe(0)
  })

  it("Liling's admin takes one down in a confirmed action; the province's admin above may too", async () => {
    const admin = await signedIn('liling', PHONES.lilingAdmin)
    const res = await bulkTakedown(admin, 'liling', [lilingA.id])
    expect(res.status).toBe(200)
    expect(await status(lilingA.id)).toBe('TAKEN_DOWN')
    const province = await signedIn('hunan', PHONES.provinceAdmin)
    expect((await bulkTakedown(province, 'liling', [lilingB.id])).status).toBe(200)
    expect(await status(lilingB.id)).toBe('TAKEN_DOWN')
  })
})

describe('the logo route', () => {
  it('serves the processed WebP of the current logo only, never the upload as sent', async () => {
    const admin = await signedIn('liling', PHONES.lilingAdmin)
    // A PNG that carries a script in a text chunk: what is served must be a new image.
    const png = await sharp({ create: { width: 600, height: 200, channels: 4, background: '#0e7490' } })
      .png()
      .withMetadata()
      .toBuffer()
    const marker = Buffer.from('<script>alert(1)</script>')
    const iend = png.length - 12
    const chunk = Buffer.concat([Buffer.alloc(4), Buffer.from('tEXt'), marker, Buffer.alloc(4)])
    chunk.writeUInt32BE(marker.length, 0)
    const hostile = Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)])
    const up = await uploadLogo(admin, 'liling', hostile)
    expect(up.status).toBe(200)
    const logoUrl = (await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).logoUrl!
    expect(logoUrl).toMatch(/^\/p\/liling\/logo\/[a-f0-9]{16}\.webp$/)
    const res = await fetch(server.base + logoUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/webp')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain('sandbox')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.toString('latin1', 8, 12)).toBe('WEBP')
    expect(bytes.includes(marker)).toBe(false)
    expect(bytes.equals(hostile)).toBe(false)
    // The portal's header shows it.
    expect(await (await fetch(`${server.base}/p/liling`)).text()).toContain(`src="${logoUrl}"`)

    const hash = logoUrl.split('/').pop()!
    for (const p of [
      `/p/youxian/logo/${hash}`, // another platform's address for the same image
      `/p/liling/logo/${hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`, // not the current one
      `/p/liling/logo/${hash.replace('.webp', '.png')}`,
      `/p/liling/logo/..%2F..%2F..%2Foriginals%2F${lilingA.platformId}%2F${lilingA.id}%2F${lilingA.fileId}`,
      `/p/liling/logo/%2e%2e%2fsystem%2freadiness-probe`,
      `/p/liling/logo/`,
    ]) {
      const r = await fetch(server.base + p)
      expect(r.status, p).toBe(404)
      expect(r.headers.get('content-type') ?? '', p).not.toMatch(/^image\//)
    }
  })

  it('refuses a renamed executable with a Chinese reason and keeps the current logo', async () => {
    const admin = await signedIn('liling', PHONES.lilingAdmin)
    const before = (await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).logoUrl
    const exe = fs.readFileSync(path.join(FIXTURES, 'bad-executable.mp4'))
    const res = await uploadLogo(admin, 'liling', exe.subarray(0, 200 * 1024), 'logo.png')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('这不是图片文件')
    expect((await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).logoUrl).toBe(before)
  })

  it('an old logo stops when a new one is set, and a tampered object under the logo key is not served', async () => {
    const admin = await signedIn('liling', PHONES.lilingAdmin)
    const old = (await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).logoUrl!
    const next = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#b91c1c' } })
      .png()
      .toBuffer()
    expect((await uploadLogo(admin, 'liling', next)).status).toBe(200)
    const current = (await prisma.platform.findUniqueOrThrow({ where: { slug: 'liling' } })).logoUrl!
    expect(current).not.toBe(old)
    // The directory cache is cleared in this process at once.
    expect((await fetch(server.base + old)).status).toBe(404)
    expect((await fetch(server.base + current)).status).toBe(200)

    // Whatever else ends up under the current logo's key (a bug, an operator's mistake) is not served.
    const { logoKey } = await import('~/services/platform/platform-logo.server.ts')
    const liling = await platformBySlug('liling')
    const hash = current.split('/').pop()!.slice(0, 16)
    await storage.put(logoKey(liling.id, hash), Buffer.from('<html><script>alert(1)</script></html>'))
    const r = await fetch(server.base + current)
    expect(r.status).toBe(404)
    expect(await r.text()).not.toContain('<script>alert(1)')
  })
})
