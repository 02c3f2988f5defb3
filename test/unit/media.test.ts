import { describe, expect, it } from 'vitest'
import { sniff, kindFromName } from '~/services/media/sniff.server.ts'
import { parseSubtitle, toWebVtt, decodeText } from '../../workers/media/subtitle.ts'
import { ladderFor, rungSize, storyboardFor } from '../../workers/media/video.ts'
import { looksLikeBomb, officeFormat } from '../../workers/media/zip.ts'
import { signMediaPrefix, verifyMediaToken } from '../../storage/media-token.ts'
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

describe('media tokens and object keys', () => {
  const ref = { platformId: 'cplatform0001', resourceId: 'cresource0001', fileId: 'cfile0000001' }
  const secret = 'unit-test-secret-0123456789abcdef'
  it('sign a derivative prefix until it expires; forged or foreign tokens fail', () => {
    const prefix = objectKeys.derivedPrefix(ref)
    const t = signMediaPrefix(secret, prefix, 60)
    expect(verifyMediaToken(secret, t)).toBe(prefix)
    expect(verifyMediaToken(secret, t, Date.now() + 61_000)).toBeNull()
    expect(verifyMediaToken('another-secret-0123456789abcdef00', t)).toBeNull()
    const [body] = t.split('.')
    const widened = Buffer.from(JSON.stringify({ p: 'derived/', e: 9_999_999_999 })).toString('base64url')
    expect(verifyMediaToken(secret, `${widened}.${t.split('.')[1]}`)).toBeNull()
    expect(body).toBeTruthy()
    expect(() => signMediaPrefix(secret, 'originals/x/', 60)).toThrow()
  })

  it('keys are built from checked ids only', () => {
    const key = objectKeys.original(ref)
    expect(parseOriginalKey(key)).toEqual(ref)
    expect(parseOriginalKey('originals/a/b')).toBeNull()
    expect(() => objectKeys.original({ ...ref, fileId: '../../etc' })).toThrow()
    expect(() => objectKeys.derived(ref, 'hls/../../x')).toThrow()
  })
})
