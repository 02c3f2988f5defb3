/**
 * Upload → jobs → outputs, against the real server (tus), real PostgreSQL, Redis queue, local
 * storage and real ffmpeg / LibreOffice / poppler / sharp.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import sharp from 'sharp'
import { prisma } from '~/lib/db.server.ts'
import { storage } from '../../storage/index.ts'
import { FIXTURES } from '../fixtures/generate.ts'
import type { Browser } from '../factories/http.ts'
import { settled, uploadFile, listKeys, startIngestHarness } from '../factories/upload.ts'

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 })

let harness: Awaited<ReturnType<typeof startIngestHarness>>
let teacher: Browser
const fx = (name: string) => path.join(FIXTURES, name)

beforeAll(async () => {
  harness = await startIngestHarness()
  teacher = harness.teacher
})
afterAll(() => harness.stop())

describe('video', () => {
  it('makes an HLS ladder no taller than the source, an MP4 fallback, a poster and a storyboard', async () => {
    const { started, tus } = await uploadFile(teacher, 'liling', fx('lesson-720p.mp4'), '勾股定理微课.mp4')
    expect(tus, JSON.stringify(tus)).toMatchObject({ ok: true })
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(f.probe).toMatchObject({ width: 1280, height: 720, hasAudio: true })
    expect(f.steps.map((s) => [s.name, s.status]).sort()).toEqual([
      ['poster', 'DONE'],
      ['probe', 'DONE'],
      ['transcode', 'DONE'],
    ])
    const names = f.derivatives.map((d) => d.name).sort()
    expect(names).toEqual(['hls', 'mp4', 'poster', 'storyboard'])
    const hls = f.derivatives.find((d) => d.name === 'hls')!
    const master = await new Response((await storage.get(hls.key + 'master.m3u8')) as never).text()
    expect(master).toContain('RESOLUTION=640x360')
    expect(master).toContain('RESOLUTION=960x540')
    expect(master).toContain('RESOLUTION=1280x720')
    expect(master).not.toContain('1920x1080') // never above the source
    expect(master).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/)
    const variant = await new Response((await storage.get(hls.key + '720p/index.m3u8')) as never).text()
    const durations = [...variant.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]))
    // The 12 s source in segments of 4–6 s (the last may be shorter): at least two, covering it all.
    expect(durations.length, variant).toBeGreaterThanOrEqual(2)
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 0)
    expect(durations.slice(0, -1).filter((d) => d < 3.9 || d > 6.1)).toEqual([])
    const sb = f.derivatives.find((d) => d.name === 'storyboard')!
    const vtt = await new Response((await storage.get(sb.key + 'storyboard.vtt')) as never).text()
    expect(vtt).toMatch(/sheet-001\.jpg#xywh=0,0,160,90/)
    const mp4 = f.derivatives.find((d) => d.name === 'mp4')!
    const head = await new Response((await storage.get(mp4.key, { start: 0, end: 63 })) as never).arrayBuffer()
    expect(Buffer.from(head).includes(Buffer.from('moov'))).toBe(true) // faststart: moov before mdat
  })

  it('refuses the same bytes twice on one platform and points at the existing resource', async () => {
    const first = await prisma.resourceFile.findFirstOrThrow({ where: { originalName: '勾股定理微课.mp4' } })
    const { started } = await uploadFile(teacher, 'liling', fx('lesson-720p.mp4'), '同一个视频.mp4')
    const f = await settled(started.fileId!)
    expect(f.status).toBe('DUPLICATE')
    expect(f.resource.duplicateOfId).toBe(first.resourceId)
    expect(f.storageKey).toBeNull()
    expect(await listKeys(`originals/${f.platformId}/${f.resourceId}/`)).toEqual([])
  })
})

describe('documents, audio, images, subtitles', () => {
  it('turns a PPTX into a PDF, WebP page images and extracted text', async () => {
    const { started } = await uploadFile(teacher, 'liling', fx('slides.pptx'), '勾股定理课件.pptx')
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    expect(f.probe).toMatchObject({ format: 'pptx', pages: 3 })
    const pages = f.derivatives.find((d) => d.name === 'pages')!
    expect((pages.meta as { count: number }).count).toBe(3)
    const img = await new Response((await storage.get(pages.key + 'p-0001.webp')) as never).arrayBuffer()
    expect((await sharp(Buffer.from(img)).metadata()).format).toBe('webp')
    expect(f.textContent).toContain('赵爽弦图')
  })

  it('previews a PDF without converting it and extracts its Chinese text', async () => {
    const { started } = await uploadFile(teacher, 'liling', fx('lesson.pdf'))
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    expect(f.probe).toMatchObject({ format: 'pdf', pages: 2 })
    expect(f.derivatives.map((d) => d.name).sort()).toEqual(['pages', 'text'])
    expect(f.textContent).toContain('勾股定理')
  })

  it('converts DOCX and makes an AAC rendition with a waveform from MP3', async () => {
    const [doc, mp3] = await Promise.all([
      uploadFile(teacher, 'liling', fx('lesson.docx')),
      uploadFile(teacher, 'liling', fx('reading.mp3')),
    ])
    const d = await settled(doc.started.fileId!)
    expect(d.status).toBe('READY')
    expect(d.textContent).toContain('直角三角形')
    const a = await settled(mp3.started.fileId!)
    expect(a.status).toBe('READY')
    expect(a.derivatives.map((x) => x.name).sort()).toEqual(['audio', 'waveform'])
  })

  it('makes WebP sizes from a JPEG and drops its GPS location', async () => {
    const { started } = await uploadFile(teacher, 'liling', fx('photo-gps.jpg'))
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    const image = f.derivatives.find((d) => d.name === 'image')!
    const sizes = (image.meta as { sizes: { file: string; width: number }[] }).sizes
    expect(sizes.map((s) => s.width)).toEqual([320, 960, 1920])
    for (const s of sizes) {
      const buf = Buffer.from(await new Response((await storage.get(image.key + s.file)) as never).arrayBuffer())
      const meta = await sharp(buf).metadata()
      expect(meta.format).toBe('webp')
      expect(meta.exif).toBeUndefined()
    }
    expect((await sharp(fs.readFileSync(fx('photo-gps.jpg'))).metadata()).exif).toBeDefined() // the source had it
  })

  it('attaches SRT subtitles to a video as WebVTT', async () => {
    const video = await prisma.resourceFile.findFirstOrThrow({ where: { originalName: '勾股定理微课.mp4' } })
    const { started } = await uploadFile(teacher, 'liling', fx('subtitles.srt'), '字幕.srt', video.resourceId)
    expect(started.resourceId).toBe(video.resourceId)
    const f = await settled(started.fileId!)
    expect(f.status).toBe('READY')
    expect(f.role).toBe('SUBTITLE')
    const vtt = await new Response((await storage.get(f.derivatives[0]!.key)) as never).text()
    expect(vtt).toMatch(/^WEBVTT\n\n1\n00:00:00\.500 --> 00:00:03\.000\n同学们好/)
  })
})
