/**
 * The upload queue: several files at once over tus (tus-js-client), each with progress, speed,
 * time left, pause/resume, automatic retry on network errors, and resumption after a reload
 * (tus-js-client remembers each upload's URL in localStorage by the file's fingerprint; picking
 * the same file again continues from the server's offset). The details form is live while
 * the bytes flow.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Upload as TusUpload } from 'tus-js-client'
import { useT } from '../i18n.tsx'
import { useCsrfToken } from '../form.tsx'
import { formatBytes, formatDuration, SpeedMeter } from './format.ts'
import { MetadataForm, type Draft } from './metadata-form.tsx'

type ItemState = 'preparing' | 'uploading' | 'paused' | 'retrying' | 'done' | 'error'

type Item = {
  key: string
  name: string
  size: number
  state: ItemState
  uploaded: number
  speed: number
  resourceId?: string
  fileId?: string
  error?: string
  /** Continued from an earlier session's upload: the share already on the server. */
  resumed?: boolean
  resumedAt?: number
  duplicateOf?: string | null
  processing?: string
  /** What the server proposed for the new draft (title from the file name, type from its kind). */
  draft?: { title: string; resourceType: string }
}

type Props = {
  base: string
  onFinished?: () => void
  attachTo?: string
  replace?: boolean
  accept?: string
  multiple?: boolean
  compact?: boolean
  defaults?: Partial<Draft>
}

export function Uploader({
  base,
  onFinished,
  attachTo,
  replace = false,
  accept,
  multiple = true,
  compact = false,
}: Props) {
  const t = useT()
  const csrfToken = useCsrfToken()
  const [items, setItems] = useState<Item[]>([])
  const uploads = useRef(new Map<string, TusUpload>())
  const meters = useRef(new Map<string, SpeedMeter>())
  const [dragging, setDragging] = useState(false)
  const inputRef = useRef<HTMLInputElement>(null)

  const patch = useCallback(
    (key: string, p: Partial<Item>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i))),
    [],
  )

  const pollStatus = useCallback(
    (key: string, resourceId: string) => {
      const tick = async () => {
        const res = await fetch(`${base}/api/resources/${resourceId}`, {
          headers: { accept: 'application/json' },
        }).catch(() => null)
        if (!res?.ok) return
        const body = (await res.json()) as { status: string; duplicateOfId: string | null; files: { status: string }[] }
        const fileStatus = body.files.at(-1)?.status ?? ''
        patch(key, { duplicateOf: body.duplicateOfId, processing: fileStatus })
        if (fileStatus === 'PROCESSING' || fileStatus === 'UPLOADING') setTimeout(tick, 2_000)
        else onFinished?.()
      }
      void tick()
    },
    [base, patch, onFinished],
  )

  const startOne = useCallback(
    async (file: File) => {
      const key = `${file.name}-${file.size}-${file.lastModified}-${Math.random().toString(36).slice(2, 8)}`
      setItems((list) => [
        ...list,
        { key, name: file.name, size: file.size, state: 'preparing', uploaded: 0, speed: 0 },
      ])
      const meter = new SpeedMeter()
      meters.current.set(key, meter)
      const tus = await import('tus-js-client')
      const options = {
        endpoint: '/uploads',
        chunkSize: 16 * 1024 * 1024,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name, filetype: file.type } as Record<string, string>,
        onProgress: (sent: number) => {
          meter.add(sent)
          patch(key, { uploaded: sent, speed: meter.bytesPerSecond, state: 'uploading', error: undefined })
        },
        onShouldRetry: (err: unknown, attempt: number) => {
          const status = (err as { originalResponse?: { getStatus(): number } }).originalResponse?.getStatus() ?? 0
          // Our refusals (4xx) are final and explained; network errors and 5xx are retried.
          const retry = status === 0 || status >= 500 || status === 409 || status === 423
          if (retry) patch(key, { state: 'retrying' })
          return retry && attempt < 8
        },
        onError: (err: Error) => {
          const resp = (err as { originalResponse?: { getStatus(): number; getBody(): string } }).originalResponse
          const status = resp?.getStatus() ?? 0
          const msg = status >= 400 && status < 500 ? resp!.getBody() : t('upload.error.network')
          patch(key, { state: status >= 400 && status < 500 ? 'error' : 'paused', error: msg })
        },
        onSuccess: () => {
          patch(key, { state: 'done', uploaded: file.size, speed: 0 })
          const id = upload.options.metadata?.resourceId
          if (id) pollStatus(key, id)
        },
      }
      const upload = new tus.Upload(file, options)
      uploads.current.set(key, upload)
      // Same file picked again after a reload or a closed browser: continue its upload.
      const previous = (await upload.findPreviousUploads()).find(
        (p) =>
          p.metadata?.fileId &&
          p.metadata?.resourceId &&
          (attachTo ? p.metadata.attachTo === attachTo : !p.metadata.attachTo) &&
          (p.metadata.replace === '1') === replace,
      )
      if (previous) {
        upload.resumeFromPreviousUpload(previous)
        upload.options.metadata = previous.metadata
        patch(key, {
          resourceId: previous.metadata.resourceId,
          fileId: previous.metadata.fileId,
          state: 'uploading',
          resumed: true,
        })
      } else {
        const form = new FormData()
        form.set('_csrf', csrfToken)
        form.set('name', file.name)
        form.set('size', String(file.size))
        if (attachTo) form.set('attachTo', attachTo)
        if (replace) form.set('replace', '1')
        const res = await fetch(`${base}/api/uploads`, { method: 'POST', body: form }).catch(() => null)
        const body = res
          ? ((await res.json().catch(() => ({}))) as {
              ok?: boolean
              resourceId?: string
              fileId?: string
              draft?: { title: string; resourceType: string }
              error?: string
            })
          : {}
        if (!res || !body.ok) {
          patch(key, { state: 'error', error: body.error ?? t('upload.error.network') })
          return
        }
        upload.options.metadata = {
          ...options.metadata,
          fileId: body.fileId!,
          resourceId: body.resourceId!,
          ...(attachTo ? { attachTo } : {}),
          ...(replace ? { replace: '1' } : {}),
        }
        patch(key, { resourceId: body.resourceId, fileId: body.fileId, draft: body.draft, state: 'uploading' })
      }
      upload.start()
    },
    [attachTo, replace, base, csrfToken, patch, pollStatus, t],
  )

  // Show "resumed from X %" once the first progress after a resume arrives.
  useEffect(() => {
    for (const i of items)
      if (i.resumed && i.resumedAt === undefined && i.uploaded > 0) patch(i.key, { resumedAt: i.uploaded })
  }, [items, patch])

  useEffect(() => {
    const all = uploads.current
    return () => {
      for (const u of all.values()) void u.abort()
    }
  }, [])

  const addFiles = (files: FileList | File[]) => {
    for (const f of Array.from(files)) void startOne(f)
  }

  const pause = (key: string) => {
    void uploads.current.get(key)?.abort()
    meters.current.get(key)?.reset()
    patch(key, { state: 'paused', speed: 0 })
  }
  const resume = (key: string) => {
    uploads.current.get(key)?.start()
    patch(key, { state: 'uploading', error: undefined })
  }

  return (
    <div className="uploader">
      <div
        className={`dropzone${dragging ? ' dragging' : ''}${compact ? ' compact' : ''}`}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          addFiles(e.dataTransfer.files)
        }}
      >
        <p>
          {t('upload.drop')}{' '}
          <button type="button" className="link-button" onClick={() => inputRef.current?.click()}>
            {t('upload.choose')}
          </button>
        </p>
        <input
          ref={inputRef}
          type="file"
          multiple={multiple}
          accept={accept}
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            if (e.target.files) addFiles(e.target.files)
            e.target.value = ''
          }}
        />
      </div>
      {items.length > 0 && (
        <ul className="upload-list" aria-label={t('upload.queue')}>
          {items.map((i) => {
            const pct = i.size ? Math.floor((i.uploaded / i.size) * 100) : 0
            const eta = i.speed > 0 ? (i.size - i.uploaded) / i.speed : NaN
            return (
              <li
                key={i.key}
                className={`upload-item state-${i.state}`}
                data-testid="upload-item"
                data-state={i.state}
                data-resource-id={i.resourceId ?? ''}
              >
                <div className="upload-head">
                  <strong className="upload-name">{i.name}</strong>
                  <span className="muted">{formatBytes(i.size)}</span>
                  <span className="upload-state">{t(`upload.state.${i.state}`)}</span>
                </div>
                <progress max={100} value={pct} aria-label={i.name} />
                <div className="upload-meta muted">
                  <span data-testid="upload-percent">{pct}%</span>
                  {i.state === 'uploading' && i.speed > 0 && (
                    <>
                      <span>{t('upload.speed', { speed: formatBytes(Math.round(i.speed)) })}</span>
                      <span>{t('upload.eta', { time: formatDuration(eta) })}</span>
                    </>
                  )}
                  {i.state === 'uploading' || i.state === 'retrying' ? (
                    <button type="button" className="link-button" onClick={() => pause(i.key)}>
                      {t('upload.pause')}
                    </button>
                  ) : null}
                  {i.state === 'paused' ? (
                    <button type="button" className="link-button" onClick={() => resume(i.key)}>
                      {t('upload.resume')}
                    </button>
                  ) : null}
                </div>
                {i.resumedAt !== undefined && (
                  <p className="muted" role="status" data-testid="upload-resumed">
                    {t('upload.resumed', { percent: `${Math.floor((i.resumedAt / i.size) * 100)}%` })}
                  </p>
                )}
                {i.error && (
                  <p className="alert alert-error" role="alert">
                    {i.error}
                  </p>
                )}
                {i.state === 'done' && i.duplicateOf && (
                  <p className="alert" role="status">
                    {t('upload.duplicate')} <a href={`${base}/r/${i.duplicateOf}`}>{t('upload.duplicateLink')}</a>
                  </p>
                )}
                {i.state === 'done' && !i.duplicateOf && i.resourceId && !attachTo && (
                  <p className="muted">
                    {i.processing ? t(`file.status.${i.processing as 'READY'}`) : t('upload.state.done')} ·{' '}
                    <a href={`${base}/r/${i.resourceId}`}>{t('upload.open')}</a>
                  </p>
                )}
                {!attachTo && i.resourceId && i.state !== 'error' && !i.duplicateOf && (
                  <MetadataForm
                    base={base}
                    resourceId={i.resourceId}
                    initial={i.draft ?? { title: i.name.replace(/\.[^.]+$/, '') }}
                  />
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
