/**
 * A change to a published resource on a platform that reviews what it publishes (醴陵) goes
 * through review: its owner editing the title through the resource page's API, or attaching a
 * subtitle to the published video over the real upload path, changes nothing that the public
 * sees (the search API, the public page, the page's player) until a reviewer approves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { syncResources } from '../../search/resources-index.ts'
import { startWorkers } from '../../workers/runner.ts'
import { queue } from '../../workers/queue.ts'
import { DEMO_PASSWORD, PHONES, seedDemo } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'
import { mediaResource } from '../factories/media-fixture.ts'
import { settled, startUpload, tusUpload } from '../factories/upload.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let workers: ReturnType<typeof startWorkers>
let owner: Browser

beforeAll(async () => {
  await seedDemo()
  server = await startTestServer()
  workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
  owner = new Browser(server.base)
  await owner.signIn('liling', PHONES.lilingTeacher, DEMO_PASSWORD)
})

afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server?.close()
})

type Hit = { id: string; title: string }
async function searchHits(q: string) {
  const res = await fetch(`${server.base}/p/liling/api/search?q=${encodeURIComponent(q)}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { hits: Hit[] }).hits
}

async function publicPage(id: string) {
  const res = await fetch(`${server.base}/p/liling/r/${id}`)
  expect(res.status).toBe(200)
  return res.text()
}

/** What a page shows as the resource's title: its <title> and its heading. */
const titlesIn = (html: string) => ({
  title: /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? null,
  heading: /<h1 data-testid="resource-title">([^<]*)<\/h1>/.exec(html)?.[1] ?? null,
})
/** The subtitle tracks a page's player lists, and any subtitle link the page carries. */
const subtitlesIn = (html: string) => ({
  tracks: [...html.matchAll(/<track[^>]*>/g)].map((m) => m[0]),
  links: [...html.matchAll(/\/media\/[A-Za-z0-9_.-]+\/subtitle\/[^"\\]*/g)].map((m) => m[0]),
})

describe('editing a published resource', () => {
  it('leaves the search API and the public page showing the published title after the owner saves a new one', async () => {
    const published = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理的证明方法',
      kind: 'VIDEO',
    })
    expect((await searchHits('勾股定理的证明方法')).some((h) => h.id === published.id)).toBe(true)

    const token = await owner.csrfToken(`/p/liling/r/${published.id}`)
    const res = await owner.post(`/p/liling/api/resources/${published.id}`, {
      _csrf: token,
      intent: 'meta',
      title: '紫藤花开季节的校园写生',
      description: '与原内容无关的新简介，用来检查未经审核的修改是否上线。',
      resourceType: 'MICRO_LECTURE',
      intendedUsers: 'TEACHER',
      licence: 'CC-BY',
      keywords: '写生，紫藤',
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true)

    // What the search.sync job would index from the database now, whichever jobs ran.
    await syncResources([published.id])
    expect((await searchHits('紫藤花开季节的校园写生')).map((h) => h.id)).not.toContain(published.id)
    const hit = (await searchHits('勾股定理的证明方法')).find((h) => h.id === published.id)
    // Titles come highlighted (\u0002…\u0003 around the matched words).
    expect(hit?.title.replaceAll('\u0002', '').replaceAll('\u0003', '')).toBe('勾股定理的证明方法')

    const html = await publicPage(published.id)
    expect(titlesIn(html)).toEqual({ title: '勾股定理的证明方法', heading: '勾股定理的证明方法' })
    expect(html.includes('紫藤花开季节的校园写生'), 'the new title anywhere on the public page').toBe(false)
    expect((await prisma.resource.findUniqueOrThrow({ where: { id: published.id } })).status).toBe('PUBLISHED')
  })
})

describe('attaching a subtitle to a published video', () => {
  it('keeps the new subtitle out of the player on the public page and on the owner’s page once it is processed', async () => {
    const video = await mediaResource({
      phone: PHONES.lilingTeacher,
      slug: 'liling',
      title: '勾股定理微课（字幕）',
      kind: 'VIDEO',
    })
    const vtt = Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n未经审核的字幕内容\n', 'utf8')
    const started = await startUpload(owner, 'liling', '未审核字幕.vtt', vtt.length, video.id)
    expect(started.status, JSON.stringify(started)).toBe(200)
    const sent = await tusUpload(owner, vtt, vtt.length, {
      fileId: started.fileId!,
      resourceId: video.id,
      filename: '未审核字幕.vtt',
    })
    expect(sent.ok, JSON.stringify(sent)).toBe(true)
    const file = await settled(started.fileId!)
    expect(file.status).toBe('READY')
    expect(file.derivatives.some((d) => d.name === 'subtitle')).toBe(true)

    const html = await publicPage(video.id)
    expect(html.includes('hls/master.m3u8'), 'the public page has its player').toBe(true)
    expect(subtitlesIn(html)).toEqual({ tracks: [], links: [] })
    const mine = await (await owner.get(`/p/liling/r/${video.id}`)).text()
    expect(subtitlesIn(mine)).toEqual({ tracks: [], links: [] })
  })
})
