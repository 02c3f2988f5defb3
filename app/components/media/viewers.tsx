/** Page-by-page document viewer, image viewer, and audio with its waveform. */
import { useEffect, useRef, useState } from 'react'
import { useT } from '../i18n.tsx'

export type Page = { src: string; width: number; height: number }

export function DocumentViewer({ pages, total, title }: { pages: Page[]; total: number; title: string }) {
  const t = useT()
  const [index, setIndex] = useState(0)
  const go = (i: number) => setIndex(Math.max(0, Math.min(pages.length - 1, i)))
  useEffect(() => {
    // Preload the next page so turning is instant.
    const next = pages[index + 1]
    if (next) new Image().src = next.src
  }, [index, pages])
  const page = pages[index]
  if (!page) return null
  return (
    <div
      className="doc-viewer"
      tabIndex={0}
      data-testid="doc-viewer"
      data-page={index + 1}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight' || e.key === 'PageDown') go(index + 1)
        if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(index - 1)
      }}
    >
      <div className="doc-toolbar">
        <button
          type="button"
          className="button small"
          onClick={() => go(index - 1)}
          disabled={index === 0}
          data-testid="prev-page"
        >
          {t('viewer.prev')}
        </button>
        <span data-testid="page-label">{t('viewer.page', { page: index + 1, total: pages.length })}</span>
        <button
          type="button"
          className="button small"
          onClick={() => go(index + 1)}
          disabled={index >= pages.length - 1}
          data-testid="next-page"
        >
          {t('viewer.next')}
        </button>
        <label className="muted">
          {t('viewer.goTo')}{' '}
          <input
            type="number"
            min={1}
            max={pages.length}
            value={index + 1}
            onChange={(e) => go(Number(e.target.value) - 1)}
            style={{ width: '4.5em' }}
          />
        </label>
      </div>
      <img
        src={page.src}
        width={page.width}
        height={page.height}
        alt={`${title} · ${t('viewer.page', { page: index + 1, total: pages.length })}`}
        className="doc-page"
      />
      {total > pages.length && <p className="muted">{t('viewer.morePages', { count: pages.length })}</p>}
    </div>
  )
}

export function ImageViewer({ sizes, title }: { sizes: Page[]; title: string }) {
  const t = useT()
  const largest = sizes.at(-1)
  if (!largest) return null
  return (
    <figure className="image-viewer" data-testid="image-viewer">
      <a href={largest.src} target="_blank" rel="noreferrer">
        <img
          src={sizes[Math.min(1, sizes.length - 1)]!.src}
          srcSet={sizes.map((s) => `${s.src} ${s.width}w`).join(', ')}
          sizes="(max-width: 800px) 100vw, 800px"
          width={largest.width}
          height={largest.height}
          alt={title}
        />
      </a>
      <figcaption className="muted">{t('viewer.image')}</figcaption>
    </figure>
  )
}

export function AudioPlayer({ src, waveform }: { src: string; waveform: string | null }) {
  const t = useT()
  const audio = useRef<HTMLAudioElement>(null)
  const [progress, setProgress] = useState(0)
  return (
    <div className="audio-player" data-testid="audio-player">
      {waveform && (
        <div
          className="waveform"
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect()
            if (audio.current?.duration)
              audio.current.currentTime = ((e.clientX - r.left) / r.width) * audio.current.duration
          }}
        >
          <img src={waveform} alt={t('player.waveform')} />
          <div className="waveform-progress" style={{ width: `${progress * 100}%` }} />
        </div>
      )}
      <audio
        ref={audio}
        controls
        preload="metadata"
        src={src}
        onTimeUpdate={(e) => setProgress(e.currentTarget.currentTime / (e.currentTarget.duration || 1))}
      />
    </div>
  )
}
