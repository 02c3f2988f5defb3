/**
 * Cover cards, against real PostgreSQL, Redis (the outbox and an in-process worker), Meilisearch,
 * local storage and the real server: a resource published without a picture gets a cover drawn
 * by the `cover.render` job, its search hit carries a /thumbs link, and that link's token opens
 * that one cover and nothing else; a new title draws a new cover and drops the old one.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/lib/db.server.ts'
import { parseSearchParams, searchResources } from '~/services/search/search-resources.server.ts'
import { queueSearchSync } from '~/services/search/sync.server.ts'
import { decideReview, submitResource } from '~/services/review/workflow.server.ts'
import { coverKeyOf } from '../../search/resource-document.ts'
import { reindexResources, resourcesIndexUid } from '../../search/resources-index.ts'
import { search } from '../../search/client.ts'
import { storage } from '../../storage/index.ts'
import { objectKeys } from '../../storage/keys.ts'
import { startWorkers } from '../../workers/runner.ts'
import { queue } from '../../workers/queue.ts'
import { actorByPhone, PHONES, platformBySlug, seedDemo, until } from '../factories/index.ts'
import { Browser, startTestServer } from '../factories/http.ts'

type Server = Awaited<ReturnType<typeof startTestServer>>
let server: Server
let workers: ReturnType<typeof startWorkers>

/** A draft on 醴陵 whose main file is processed but made no picture (as an audio file or a
 * document whose pages could not be rendered would), owned by the 醴陵 teacher. */
async function pictureless(title: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone: PHONES.lilingTeacher } })
  const platform = await platformBySlug('liling')
  const r = await prisma.resource.create({
    data: {
      platformId: platform.id,
      ownerId: user.id,
      title,
      description: `${title}：用于封面测试的资源说明，足够长。`,
      resourceType: 'EXERCISE',
      kind: 'DOCUMENT',
      subject: 'MATH',
      grade: 'G8',
      licence: 'CC-BY-NC',
    },
  })
  await prisma.resourceFile.create({
    data: {
      resourceId: r.id,
      platformId: platform.id,
      role: 'PRIMARY',
      status: 'READY',
      originalName: 'a.pdf',
      size: 10n,
      kind: 'DOCUMENT',
      storageKey: `originals/${platform.id}/${r.id}/f${r.id}`,
    },
  })
  await prisma.resourceCurriculum.create({ data: { resourceId: r.id, nodeId: 'jh.math.pep.8b.c2.s1' } })
  return r.id
}

/** Published the way it happens on 醴陵: the owner submits, the platform's reviewer approves. */
async function publish(id: string) {
  const { reviewId } = await submitResource(await actorByPhone(PHONES.lilingTeacher), id)
  await decideReview(await actorByPhone(PHONES.lilingReviewer), reviewId!, {
    outcome: 'APPROVED',
    scores: { SCIENTIFIC: 4, EDUCATIONAL: 4, TECHNICAL: 4, ARTISTIC: 4, NORMATIVE: 4 },
  })
}

/** The resource's hit when 醴陵's portal searches for its title (titles come back marked up). */
async function hitFor(title: string, id: string) {
  const portal = await platformBySlug('liling')
  const { hits } = await searchResources(portal, parseSearchParams(new URLSearchParams({ q: title })), {
    facets: false,
  })
  return hits.find((h) => h.id === id) ?? null
}

beforeAll(async () => {
  await seedDemo()
  // An (empty) index with the real settings, as a deployment has.
  await reindexResources()
  server = await startTestServer()
  workers = startWorkers({ concurrency: 2, dispatchEveryMs: 100 })
}, 120_000)
afterAll(async () => {
  await workers?.stop()
  await queue.close()
  await server?.close()
  await search
    .deleteIndex(resourcesIndexUid())
    .waitTask()
    .catch(() => {})
})

describe('cover cards', () => {
  it('draws a cover for a resource published without a picture; its search hit links to it, and the token opens only it', async () => {
    const title = '封面测试 勾股定理分层作业'
    const id = await pictureless(title)
    await publish(id)
    const resource = await prisma.resource.findUniqueOrThrow({ where: { id } })
    const key = coverKeyOf(resource)
    expect(key).toMatch(new RegExp(`^covers/${resource.platformId}/${id}/[0-9a-f]{16}\\.webp$`))

    // The publication's search sync asks for the cover, the cover job draws it and syncs again.
    await until(async () => !!(await storage.stat(key)), 30_000)
    await until(async () => !!(await hitFor(title, id))?.thumb, 30_000)
    const hit = (await hitFor(title, id))!
    expect(hit.thumb).toMatch(/^\/thumbs\/[\w-]+\.[\w-]+\/[0-9a-f]{16}\.webp$/)

    // The link serves the cover: a 480×270 WebP.
    const anon = new Browser(server.base)
    const res = await anon.get(hit.thumb!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/webp')
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 270])

    // The same token under any other name opens nothing, not even beside the cover.
    const [, , token, name] = hit.thumb!.split('/')
    for (const other of ['0000000000000000.webp', `${name}x`, `..%2F${name}`])
      expect((await anon.get(`/thumbs/${token}/${other}`)).status).not.toBe(200)
    expect((await anon.get(`/thumbs/${token}/${name}/x`)).status).not.toBe(200)

    // Drawn once: a second sync of the same resource draws nothing again.
    const before = (await storage.stat(key))!.lastModified!.getTime()
    await prisma.$transaction((tx) => queueSearchSync(tx, [id]))
    await new Promise((r) => setTimeout(r, 1_500))
    expect((await storage.stat(key))!.lastModified!.getTime()).toBe(before)
  })

  it('a new title draws a new cover under a new key, and the old one is removed', async () => {
    const title = '封面测试 改名之前'
    const id = await pictureless(title)
    await publish(id)
    const first = coverKeyOf(await prisma.resource.findUniqueOrThrow({ where: { id } }))
    await until(async () => !!(await storage.stat(first)), 30_000)

    const renamed = '封面测试 改名之后'
    const r = await prisma.$transaction(async (tx) => {
      const r = await tx.resource.update({ where: { id }, data: { title: renamed } })
      await queueSearchSync(tx, [id])
      return r
    })
    const second = coverKeyOf(r)
    expect(second).not.toBe(first)
    await until(async () => !!(await storage.stat(second)), 30_000)
    await until(async () => (await hitFor(renamed, id))?.thumb?.endsWith(second.split('/').pop()!) ?? false, 30_000)
    // Once the index no longer names it, the old title's cover goes.
    await until(async () => !(await storage.stat(first)), 30_000)
    const left: string[] = []
    for await (const k of storage.list(objectKeys.coverPrefix({ platformId: r.platformId, resourceId: id })))
      left.push(k)
    expect(left).toEqual([second])
  })

  it('a taken-down resource loses its cover link at once', async () => {
    const title = '封面测试 下架'
    const id = await pictureless(title)
    await publish(id)
    await until(async () => !!(await hitFor(title, id))?.thumb, 30_000)
    const link = (await hitFor(title, id))!.thumb!
    const anon = new Browser(server.base)
    expect((await anon.get(link)).status).toBe(200)
    await prisma.resource.update({ where: { id }, data: { status: 'TAKEN_DOWN' } })
    // Refused within the server's short cache (seconds), through the link signed before.
    await until(async () => (await anon.get(link)).status !== 200, 15_000)
  })
})
