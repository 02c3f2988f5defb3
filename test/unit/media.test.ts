import { describe, expect, it } from 'vitest'
import { sniff, kindFromName } from '~/services/media/sniff.server.ts'
import { parseSubtitle, toWebVtt, decodeText } from '../../workers/media/subtitle.ts'
import { ladderFor, rungSize, storyboardFor } from '../../workers/media/video.ts'
import { looksLikeBomb, officeFormat } from '../../workers/media/zip.ts'
import {
  cutPlaylist,
  mediaAccess,
  signDownload,
  signMedia,
  signThumb,
  verifyDownload,
  verifyMedia,
  verifyThumb,
  type MediaClaims,
} from '../../storage/capabilities.ts'
import { objectKeys, parseOriginalKey } from '../../storage/keys.ts'

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex')

describe('content sniffing decides the kind, never the name', () => {
  it.each([
    ['mp4', Buffer.concat([hex('00000020'), Buffer.from('ftypisom'), Buffer.alloc(8)]), 'VIDEO'],
    ['mov', Buffer.concat([hex('00000014'), Buffer.from('ftypqt  '), Buffer.alloc(8)]), 'VIDEO'],
    ['m4a', Buffer.concat([hex('00000020'), Buffer.from('ftypM4A '), Buffer.alloc(8)]), 'AUDIO'],
    ['webm', Buffer.concat([hex('1A45DFA3'), Buffer.from('....webm')]), 'VIDEO'],
    ['mkv', Buffer.concat([hex('1A45DFA3'), Buffer.from('....matroska')]), 'VIDEO'],
    ['avi', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('AVI ')]), 'VIDEO'],
    ['wav', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')]), 'AUDIO'],
    ['webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP')]), 'IMAGE'],
    ['flv', Buffer.concat([Buffer.from('FLV'), hex('01 05')]), 'VIDEO'],
    ['wmv', hex('3026B2758E66CF11A6D900AA0062CE6C'), 'VIDEO'],
    ['mp3', Buffer.concat([Buffer.from('ID3'), hex('0400')]), 'AUDIO'],
    ['pdf', Buffer.from('%PDF-1.7\n'), 'DOCUMENT'],
    ['ole', hex('D0CF11E0A1B11AE1'), 'DOCUMENT'],
    ['zip', hex('504B030414000000'), 'DOCUMENT'],
    ['jpeg', hex('FFD8FFE000104A46'), 'IMAGE'],
    ['png', hex('89504E470D0A1A0A'), 'IMAGE'],
    ['gif', Buffer.from('GIF89a'), 'IMAGE'],
    ['vtt', Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\n你好'), 'SUBTITLE'],
    ['srt', Buffer.from('1\r\n00:00:01,000 --> 00:00:02,000\r\n你好'), 'SUBTITLE'],
  ])('%s', (format, bytes, kind) => {
    expect(sniff(bytes)?.kind).toBe(kind)
    expect(sniff(bytes)?.format).toBe(format)
  })

  it('refuses executables, scripts, HTML and empty input whatever they are called', () => {
    expect(sniff(hex('7F454C46020101000000'))).toBeNull() // ELF
    expect(sniff(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(60)]))).toBeNull() // Windows .exe
    expect(sniff(Buffer.from('#!/bin/sh\nrm -rf /'))).toBeNull()
    expect(sniff(Buffer.from('<html><script>alert(1)</script>'))).toBeNull()
    expect(sniff(Buffer.alloc(0))).toBeNull()
    expect(kindFromName('课件.PPTX')).toBe('DOCUMENT')
    expect(kindFromName('没有扩展名')).toBeNull()
  })
})

describe('subtitles', () => {
  it('parses SRT (CRLF, GB18030) and writes valid WebVTT', () => {
    const gbk = Buffer.from(
      '31 0d0a 30303a30303a30312c303030202d2d3e2030303a30303a30322c353030 0d0a c4e3bac3 0d0a'.replace(/\s/g, ''),
      'hex',
    ) // "你好" in GBK
    expect(decodeText(gbk)).toContain('你好')
    const cues = parseSubtitle(gbk)
    expect(cues).toEqual([{ start: 1, end: 2.5, text: '你好' }])
    expect(toWebVtt(cues)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\n你好\n')
  })

  it('refuses broken timings and names the line', () => {
    expect(() => parseSubtitle(Buffer.from('1\n00:00:05,000 --> 00:00:04,000\n倒着的\n'))).toThrow(/line 2/)
    expect(() => parseSubtitle(Buffer.from('1\n00:00:61,000 --> 00:01:04,000\n秒数不对\n'))).toThrow(/badSubtitle/)
    expect(() => parseSubtitle(Buffer.from('WEBVTT\n\n'))).toThrow(/no cues/)
  })

  it('strips markup that WebVTT would treat as tags, keeps basic styling', () => {
    expect(toWebVtt([{ start: 0, end: 1, text: '<b>重点</b><script>x</script> a --> b' }])).toContain(
      '<b>重点</b>x a → b',
    )
  })
})

describe('the HLS ladder', () => {
  it('never goes above the source, landscape or portrait', () => {
    expect(ladderFor(1920, 1080).map((r) => r.name)).toEqual(['360p', '540p', '720p', '1080p'])
    expect(ladderFor(1280, 720).map((r) => r.name)).toEqual(['360p', '540p', '720p'])
    expect(ladderFor(1080, 1920).map((r) => r.name)).toEqual(['360p', '540p', '720p', '1080p'])
    expect(ladderFor(320, 240).map((r) => r.name)).toEqual(['240p'])
    expect(rungSize(1080, 1920, ladderFor(1080, 1920)[0]!)).toEqual({ w: 360, h: 640 })
    expect(rungSize(1440, 1080, ladderFor(1440, 1080)[0]!)).toEqual({ w: 480, h: 360 })
  })

  it('plans a storyboard of at most about 120 thumbnails', () => {
    expect(storyboardFor({ format: 'mp4', durationSec: 60, width: 1280, height: 720 })).toMatchObject({
      interval: 1,
      count: 60,
      tw: 160,
      th: 90,
    })
    expect(storyboardFor({ format: 'mp4', durationSec: 2700, width: 1280, height: 720 }).count).toBeLessThanOrEqual(120)
  })
})

describe('office ZIPs', () => {
  it('tells DOCX/PPTX/XLSX apart and spots bombs', () => {
    const e = (name: string, c = 100, u = 100) => ({ name, compressed: c, uncompressed: u })
    expect(officeFormat([e('[Content_Types].xml'), e('word/document.xml')])).toBe('docx')
    expect(officeFormat([e('[Content_Types].xml'), e('ppt/presentation.xml')])).toBe('pptx')
    expect(officeFormat([e('[Content_Types].xml'), e('xl/workbook.xml')])).toBe('xlsx')
    expect(officeFormat([e('mimetype'), e('content.xml')])).toBeNull()
    expect(looksLikeBomb([e('word/document.xml', 100_000, 120 * 1024 * 1024)], 1024 ** 3)).toBe(true)
    expect(looksLikeBomb([e('a', 1, 600 * 1024 ** 2), e('b', 600 * 1024 ** 2, 600 * 1024 ** 2)], 1024 ** 3)).toBe(true)
    expect(looksLikeBomb([e('word/document.xml', 2_000_000, 9_000_000)], 1024 ** 3)).toBe(false)
  })
})

describe('capability tokens and object keys', () => {
  const ref = { platformId: 'cplatform0001', resourceId: 'cresource0001', fileId: 'cfile0000001' }
  const secret = 'unit-test-secret-0123456789abcdef'
  const claims = {
    p: ref.platformId,
    r: ref.resourceId,
    f: ref.fileId,
    m: 'VIDEO',
    s: 'full',
    b: { t: 'public' },
  } as const satisfies Omit<MediaClaims, 'k' | 'e'>

  it('a media token verifies until it expires; a forged, foreign or widened one fails', () => {
    const t = signMedia(secret, claims, 60)
    expect(verifyMedia(secret, t)).toMatchObject({ k: 'media', f: ref.fileId, s: 'full' })
    expect(verifyMedia(secret, t, Date.now() + 61_000)).toBeNull()
    expect(verifyMedia('another-secret-0123456789abcdef00', t)).toBeNull()
    const [body, sig] = t.split('.')
    const widened = { ...JSON.parse(Buffer.from(body!, 'base64url').toString()), s: 'full', f: 'cfile0000002' }
    expect(verifyMedia(secret, `${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${sig}`)).toBeNull()
    expect(() => signMedia(secret, { ...claims, f: '../x' }, 60)).toThrow()
  })

  it('a token of one kind never verifies as another (thumb, media, download)', () => {
    const thumb = signThumb(secret, `${objectKeys.derivedPrefix(ref)}poster/poster.jpg`, 60)
    const media = signMedia(secret, claims, 60)
    const download = signDownload(secret, objectKeys.original(ref), 'a.pdf', 60)
    expect(verifyThumb(secret, thumb)).not.toBeNull()
    expect(verifyDownload(secret, download)).not.toBeNull()
    for (const t of [thumb, download]) expect(verifyMedia(secret, t)).toBeNull()
    for (const t of [media, download]) expect(verifyThumb(secret, t)).toBeNull()
    for (const t of [thumb, media]) expect(verifyDownload(secret, t)).toBeNull()
    expect(() => signThumb(secret, objectKeys.derivedPrefix(ref), 60)).toThrow()
    expect(() => signThumb(secret, `${objectKeys.derivedPrefix(ref)}hls/master.m3u8`, 60)).toThrow()
  })

  it('a media token reaches only its kind’s outputs, and a preview only the first minute, pages or small image', () => {
    const full = { ...claims, k: 'media', e: 0 } as MediaClaims
    expect(mediaAccess(full, 'hls/720p/seg_0099.ts').kind).toBe('serve')
    expect(mediaAccess(full, 'hls/720p/index.m3u8')).toEqual({ kind: 'playlist', cut: false })
    for (const rel of ['pdf/document.pdf', 'text/text.txt', 'pages/p-0001.webp', '../x', 'hls/../../x', ''])
      expect(mediaAccess(full, rel).kind, rel).toBe('refuse')
    const preview = { ...full, s: 'preview' } as MediaClaims
    expect(mediaAccess(preview, 'hls/720p/index.m3u8')).toEqual({ kind: 'playlist', cut: true })
    expect(mediaAccess(preview, 'hls/720p/seg_0003.ts')).toEqual({
      kind: 'segment',
      playlist: 'hls/720p/index.m3u8',
      file: 'seg_0003.ts',
    })
    expect(mediaAccess(preview, 'mp4/fallback.mp4').kind).toBe('refuse')
    expect(mediaAccess(preview, 'storyboard/storyboard.vtt').kind).toBe('refuse')
    const doc = { ...preview, m: 'DOCUMENT' } as MediaClaims
    expect(['p-0001', 'p-0003', 'p-0004'].map((p) => mediaAccess(doc, `pages/${p}.webp`).kind)).toEqual([
      'serve',
      'serve',
      'refuse',
    ])
    const audio = { ...preview, m: 'AUDIO', d: 240 } as MediaClaims
    expect(mediaAccess(audio, 'audio/audio.m4a')).toEqual({ kind: 'bytes', share: 0.25 })
    const image = { ...preview, m: 'IMAGE' } as MediaClaims
    expect(mediaAccess(image, 'image/w320.webp').kind).toBe('serve')
    expect(mediaAccess(image, 'image/w1920.webp').kind).toBe('refuse')
  })

  it('a preview playlist is cut after the segments that start within 60 s and ends with ENDLIST', () => {
    const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:4']
    for (let i = 0; i < 40; i++) lines.push('#EXTINF:4.000,', `seg_${String(i).padStart(4, '0')}.ts`)
    lines.push('#EXT-X-ENDLIST')
    const cut = cutPlaylist(lines.join('\n'))
    expect(cut.segments.size).toBe(15)
    expect(cut.segments.has('seg_0014.ts')).toBe(true)
    expect(cut.segments.has('seg_0015.ts')).toBe(false)
    expect(cut.playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true)
    expect(cut.playlist.match(/#EXT-X-ENDLIST/g)).toHaveLength(1)
  })

  it('keys are built from checked ids only', () => {
    const key = objectKeys.original(ref)
    expect(parseOriginalKey(key)).toEqual(ref)
    expect(parseOriginalKey('originals/a/b')).toBeNull()
    expect(() => objectKeys.original({ ...ref, fileId: '../../etc' })).toThrow()
    expect(() => objectKeys.derived(ref, 'hls/../../x')).toThrow()
  })
})
