/**
 * Time codes in comments: "02:15" or "1:02:15" in a review comment (or any comment on a video)
 * becomes a button that jumps the page's player there. The player listens for SEEK_EVENT
 * (video-player.tsx); nothing else needs to know about the other.
 */
import { Fragment } from 'react'
import { useT } from '../i18n.tsx'

export const SEEK_EVENT = 'erc:seek'

const TIMECODE = /(?<![\d:：])(?:(\d{1,2})[:：])?([0-5]?\d)[:：]([0-5]\d)(?![\d:：])/g

export type TextPart = { text: string; seconds?: number }

/** Splits a text into plain parts and time codes (with their position in seconds). */
export function splitTimecodes(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const m of text.matchAll(TIMECODE)) {
    const [all, h, mm, ss] = m
    const at = m.index ?? 0
    if (at > last) parts.push({ text: text.slice(last, at) })
    parts.push({ text: all, seconds: Number(h ?? 0) * 3600 + Number(mm) * 60 + Number(ss) })
    last = at + all.length
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}

/** "mm:ss" (or "h:mm:ss") for a position in seconds. */
export function formatTimecode(seconds: number) {
  const s = Math.max(0, Math.floor(seconds))
  const two = (n: number) => String(n).padStart(2, '0')
  const h = Math.floor(s / 3600)
  return h ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`
}

/** Where the page's video player is now (for a reviewer inserting it into a comment). */
export function currentVideoTime(): number | null {
  if (typeof document === 'undefined') return null
  const v = document.querySelector<HTMLVideoElement>('[data-testid="video-player"] video')
  return v ? v.currentTime : null
}

export function seekVideo(seconds: number) {
  window.dispatchEvent(new CustomEvent(SEEK_EVENT, { detail: seconds }))
}

/** A comment's text with its time codes as buttons (only where the page has a video to jump). */
export function TimecodedText({ text, video = true }: { text: string; video?: boolean }) {
  const t = useT()
  if (!video) return <>{text}</>
  return (
    <>
      {splitTimecodes(text).map((p, i) =>
        p.seconds === undefined ? (
          <Fragment key={i}>{p.text}</Fragment>
        ) : (
          <button
            key={i}
            type="button"
            className="timecode"
            data-testid="timecode"
            data-seconds={p.seconds}
            title={t('timecode.jump', { at: p.text })}
            onClick={() => seekVideo(p.seconds!)}
          >
            {p.text}
          </button>
        ),
      )}
    </>
  )
}
