/**
 * HLS video with hls.js (native HLS where the browser has it; the MP4 fallback where neither
 * works): quality choice, subtitles, and storyboard thumbnails when hovering the seek bar.
 */
import { useEffect, useRef, useState } from 'react'
import { SEEK_EVENT } from './timecodes.tsx'
import type Hls from 'hls.js'
import { useT } from '../i18n.tsx'
import { formatDuration } from './format.ts'

export type VideoSource = {
  hls: string
  mp4: string | null
  poster: string | null
  storyboard: { vtt: string; base: string } | null
  subtitles: { label: string; lang: string; src: string; default: boolean }[]
}

type Thumb = { start: number; end: number; url: string; x: number; y: number; w: number; h: number }

function parseStoryboard(vtt: string, base: string): Thumb[] {
  const out: Thumb[] = []
  const blocks = vtt.replace(/\r/g, '').split('\n\n')
  const secs = (s: string) => s.split(':').reduce((acc, v) => acc * 60 + Number(v), 0)
  for (const b of blocks) {
    const lines = b.split('\n').filter(Boolean)
    const timing = lines.find((l) => l.includes('-->'))
    const target = lines[lines.indexOf(timing!) + 1]
    if (!timing || !target) continue
    const [a, z] = timing.split('-->').map((x) => x.trim())
    const m = /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target)
    if (!m) continue
    out.push({ start: secs(a!), end: secs(z!), url: base + m[1], x: +m[2]!, y: +m[3]!, w: +m[4]!, h: +m[5]! })
  }
  return out
}

export function VideoPlayer({ source }: { source: VideoSource }) {
  const t = useT()
  const video = useRef<HTMLVideoElement>(null)
  const hlsRef = useRef<Hls | null>(null)
  const [levels, setLevels] = useState<{ index: number; height: number }[]>([])
  const [chosen, setChosen] = useState(-1)
  const [playing, setPlaying] = useState(-1)
  const [failed, setFailed] = useState(false)
  const [thumbs, setThumbs] = useState<Thumb[]>([])
  const [hover, setHover] = useState<{ x: number; time: number } | null>(null)
  const [time, setTime] = useState(0)
  const [duration, setDuration] = useState(0)
  // Set once a source is attached. A tap on play before that (hls.js loads lazily) is remembered
  // and honoured when the manifest arrives, instead of being lost to the AbortError that
  // attaching a new source raises.
  const [ready, setReady] = useState(false)
  const playWanted = useRef(false)

  useEffect(() => {
    const el = video.current
    if (!el) return
    let cancelled = false
    setReady(false)
    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return
      const resumeIfWanted = () => {
        setReady(true)
        if (playWanted.current) void el.play().catch(() => undefined)
      }
      // hls.js wherever Media Source Extensions exist (it offers the quality choice); native
      // HLS only where it does not (iPhone Safari); the MP4 fallback for everything else.
      if (!HlsClass.isSupported()) {
        if (el.canPlayType('application/vnd.apple.mpegurl')) el.src = source.hls
        else if (source.mp4) el.src = source.mp4
        else return setFailed(true)
        el.addEventListener('loadedmetadata', resumeIfWanted, { once: true })
        return
      }
      const hls = new HlsClass({ enableWorker: true })
      hlsRef.current = hls
      hls.on(HlsClass.Events.MANIFEST_PARSED, (_e, data) => {
        setLevels(data.levels.map((l, index) => ({ index, height: l.height })))
        resumeIfWanted()
      })
      hls.on(HlsClass.Events.LEVEL_SWITCHED, (_e, data) => setPlaying(data.level))
      hls.on(HlsClass.Events.ERROR, (_e, data) => {
        if (!data.fatal) return
        if (data.type === HlsClass.ErrorTypes.NETWORK_ERROR) hls.startLoad()
        else if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError()
        else {
          hls.destroy()
          if (source.mp4) el.src = source.mp4
          else setFailed(true)
        }
      })
      hls.loadSource(source.hls)
      hls.attachMedia(el)
    })
    return () => {
      cancelled = true
      hlsRef.current?.destroy()
      hlsRef.current = null
    }
  }, [source.hls, source.mp4])

  // A time code in a comment jumps here (timecodes.tsx).
  useEffect(() => {
    const onSeek = (e: Event) => {
      const el = video.current
      const at = (e as CustomEvent<number>).detail
      if (!el || !Number.isFinite(at)) return
      el.currentTime = at
      el.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      void el.play().catch(() => undefined)
    }
    window.addEventListener(SEEK_EVENT, onSeek)
    return () => window.removeEventListener(SEEK_EVENT, onSeek)
  }, [])

  useEffect(() => {
    if (!source.storyboard) return
    const sb = source.storyboard
    void fetch(sb.vtt)
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => setThumbs(parseStoryboard(text, sb.base)))
      .catch(() => setThumbs([]))
  }, [source.storyboard])

  const chooseLevel = (index: number) => {
    setChosen(index)
    if (hlsRef.current) hlsRef.current.currentLevel = index
  }

  const seekTo = (clientX: number, bar: HTMLElement) => {
    const r = bar.getBoundingClientRect()
    return Math.max(0, Math.min(1, (clientX - r.left) / r.width)) * (duration || 0)
  }

  const height = levels.find((l) => l.index === playing)?.height
  // Looked up at render time: the storyboard may arrive after the pointer does.
  const thumb = hover ? thumbs.find((th) => hover.time >= th.start && hover.time < th.end) : undefined
  return (
    <div
      className="video-player"
      data-testid="video-player"
      data-ready={ready}
      data-level={playing}
      data-level-height={height ?? ''}
    >
      {failed ? (
        <p className="alert">{t('player.unsupported')}</p>
      ) : (
        <video
          ref={video}
          controls
          playsInline
          preload="metadata"
          poster={source.poster ?? undefined}
          crossOrigin="anonymous"
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
          onPlay={() => {
            playWanted.current = true
          }}
          onPause={() => {
            if (ready) playWanted.current = false
          }}
          data-testid="video"
        >
          {source.subtitles.map((s) => (
            <track key={s.src} kind="subtitles" src={s.src} srcLang={s.lang} label={s.label} default={s.default} />
          ))}
        </video>
      )}
      {duration > 0 && (
        <div
          className="seekbar"
          role="slider"
          tabIndex={0}
          aria-valuemin={0}
          aria-valuemax={Math.round(duration)}
          aria-valuenow={Math.round(time)}
          aria-valuetext={formatDuration(time)}
          data-testid="seekbar"
          onMouseMove={(e) => {
            const t0 = seekTo(e.clientX, e.currentTarget)
            const r = e.currentTarget.getBoundingClientRect()
            setHover({ x: e.clientX - r.left, time: t0 })
          }}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            if (video.current) video.current.currentTime = seekTo(e.clientX, e.currentTarget)
          }}
          onKeyDown={(e) => {
            if (!video.current) return
            if (e.key === 'ArrowRight') video.current.currentTime = Math.min(duration, time + 5)
            if (e.key === 'ArrowLeft') video.current.currentTime = Math.max(0, time - 5)
          }}
        >
          <div className="seekbar-fill" style={{ width: `${(time / duration) * 100}%` }} />
          {hover && (
            <div className="seek-preview" style={{ left: hover.x }} data-testid="seek-preview">
              {thumb && (
                <div
                  className="seek-thumb"
                  style={{
                    width: thumb.w,
                    height: thumb.h,
                    backgroundImage: `url("${thumb.url}")`,
                    backgroundPosition: `-${thumb.x}px -${thumb.y}px`,
                  }}
                />
              )}
              <span>{formatDuration(hover.time)}</span>
            </div>
          )}
        </div>
      )}
      {levels.length > 0 && (
        <label className="player-quality">
          {t('player.quality')}{' '}
          <select value={chosen} onChange={(e) => chooseLevel(Number(e.target.value))} data-testid="quality">
            <option value={-1}>{t('player.auto')}</option>
            {levels.map((l) => (
              <option key={l.index} value={l.index}>
                {l.height}p
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  )
}
