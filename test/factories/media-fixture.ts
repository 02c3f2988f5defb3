/**
 * A resource with stored derivatives laid out exactly as the workers write them (an HLS ladder
 * of 4 s segments with its playlists, a poster, an MP4 fallback; or page images, the converted
 * PDF and the extracted text), without running ffmpeg: for tests of who may fetch which object.
 */
import { prisma, type ResourceStatus } from '~/lib/db.server.ts'
import { objectKeys } from '../../storage/keys.ts'
import { storage } from '../../storage/index.ts'
import { configureResourcesIndex, syncResources } from '../../search/resources-index.ts'
import { platformBySlug } from './index.ts'

export type MediaFixture = { id: string; fileId: string; platformId: string; title: string }

const SEGMENT_SECONDS = 4

export async function mediaResource(opts: {
  phone: string
  slug: string
  title: string
  kind: 'VIDEO' | 'DOCUMENT'
  licence?: string
  status?: ResourceStatus
  /** Video length (seconds) or page count. */
  length?: number
  index?: boolean
}): Promise<MediaFixture> {
  const user = await prisma.user.findUniqueOrThrow({ where: { phone: opts.phone } })
  const platform = await platformBySlug(opts.slug)
  const status = opts.status ?? 'PUBLISHED'
  const licence = opts.licence ?? 'CC-BY'
  const length = opts.length ?? (opts.kind === 'VIDEO' ? 120 : 10)
  const r = await prisma.resource.create({
    data: {
      platformId: platform.id,
      scopePlatformId: platform.id,
      ownerId: user.id,
      title: opts.title,
      description: `${opts.title}：课堂实录与练习`,
      resourceType: opts.kind === 'VIDEO' ? 'MICRO_LECTURE' : 'COURSEWARE',
      kind: opts.kind,
      status,
      licence,
      priceCents: licence === 'PREMIUM' ? 1990 : null,
      publishedAt: status === 'PUBLISHED' ? new Date() : null,
    },
  })
  const probe = opts.kind === 'VIDEO' ? { duration: length, width: 1280, height: 720 } : { pages: length }
  const f = await prisma.resourceFile.create({
    data: {
      resourceId: r.id,
      platformId: platform.id,
      role: 'PRIMARY',
      status: 'READY',
      originalName: opts.kind === 'VIDEO' ? '勾股定理微课.mp4' : '勾股定理课件.pdf',
      size: 16n,
      kind: opts.kind,
      sha256: r.id.padEnd(64, '0').slice(0, 64),
      probe,
    },
  })
  const ref = { platformId: platform.id, resourceId: r.id, fileId: f.id }
  const original = objectKeys.original(ref)
  await storage.put(original, Buffer.from(`original-${r.id}`))
  await prisma.resourceFile.update({ where: { id: f.id }, data: { storageKey: original } })
  const put = (rel: string, body: string) => storage.put(objectKeys.derived(ref, rel), Buffer.from(body))
  const derivative = (name: string, rel: string, isPrefix: boolean, meta?: object) =>
    prisma.derivative.create({
      data: {
        fileId: f.id,
        name,
        key: isPrefix ? objectKeys.derivedPrefix(ref) + rel : objectKeys.derived(ref, rel),
        isPrefix,
        size: 16n,
        meta: meta ?? undefined,
      },
    })

  if (opts.kind === 'VIDEO') {
    const segments = Math.ceil(length / SEGMENT_SECONDS)
    const rungs = ['360p', '720p']
    for (const rung of rungs) {
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`,
        '#EXT-X-MEDIA-SEQUENCE:0',
      ]
      for (let i = 0; i < segments; i++) {
        const name = `seg_${String(i).padStart(4, '0')}.ts`
        lines.push(`#EXTINF:${SEGMENT_SECONDS}.000000,`, name)
        await put(`hls/${rung}/${name}`, `segment ${rung} ${i}`)
      }
      lines.push('#EXT-X-ENDLIST')
      await put(`hls/${rung}/index.m3u8`, lines.join('\n') + '\n')
    }
    await put(
      'hls/master.m3u8',
      [
        '#EXTM3U',
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
        '360p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720',
        '720p/index.m3u8',
      ].join('\n') + '\n',
    )
    await put('poster/poster.jpg', 'poster')
    await put('mp4/fallback.mp4', 'full mp4')
    await derivative('hls', 'hls/', true, { master: 'master.m3u8', variants: [] })
    await derivative('poster', 'poster/poster.jpg', false)
    await derivative('mp4', 'mp4/fallback.mp4', false)
  } else {
    const pages = []
    for (let i = 1; i <= length; i++) {
      const file = `p-${String(i).padStart(4, '0')}.webp`
      await put(`pages/${file}`, `page ${i}`)
      pages.push({ file, width: 1000, height: 1400 })
    }
    await put('pdf/document.pdf', '%PDF-1.7 full text')
    await put('text/text.txt', '全文文本')
    await derivative('pages', 'pages/', true, { count: length, total: length, pages })
    await derivative('pdf', 'pdf/document.pdf', false, { pages: length })
    await derivative('text', 'text/text.txt', false, { chars: 4 })
  }
  if (opts.index !== false && status === 'PUBLISHED') {
    await configureResourcesIndex()
    await syncResources([r.id])
  }
  return { id: r.id, fileId: f.id, platformId: platform.id, title: opts.title }
}

/** The /media URLs a page's HTML carries (the player's, the viewer's, the cards'). */
export function mediaUrlsIn(html: string) {
  return [...new Set([...html.matchAll(/\/media\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/[A-Za-z0-9_./-]*/g)].map((m) => m[0]))]
}
