/**
 * 平台外观 on the admin page: colour pickers with their hex value and a live preview of the header,
 * and the logo upload. CSP-safe: no inline script or <style>; the preview's colours are CSS custom
 * properties in a `style` attribute (allowed), the chosen file is previewed through a blob: URL
 * (allowed for images). Without JavaScript the hex fields still work (they are what is sent).
 */
import { Form, useNavigation } from '@remix-run/react'
import { useEffect, useState, type CSSProperties } from 'react'
import { CsrfInput, Field, fieldError } from '~/components/form.tsx'
import { useT } from '~/components/i18n.tsx'

const HEX = /^#[0-9a-fA-F]{6}$/

/** The hex value is the field (it is what the form sends, and what works before the page's
 * script has loaded); the native picker beside it sets it. */
function ColorField(props: {
  name: string
  label: string
  value: string
  onChange: (v: string) => void
  error?: string
}) {
  const id = `f-${props.name}`
  const [draft, setDraft] = useState(props.value)
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="color-field">
        <input
          type="color"
          aria-label={`${props.label}（${props.value}）`}
          value={props.value}
          onChange={(e) => {
            setDraft(e.currentTarget.value)
            props.onChange(e.currentTarget.value)
          }}
          data-testid={`color-${props.name}`}
        />
        <input
          id={id}
          type="text"
          name={props.name}
          className="color-hex"
          value={draft}
          maxLength={20}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-err` : undefined}
          onChange={(e) => {
            const v = e.currentTarget.value
            setDraft(v)
            if (HEX.test(v.trim())) props.onChange(v.trim().toLowerCase())
          }}
          data-testid={`hex-${props.name}`}
        />
      </div>
      {props.error ? (
        <p id={`${id}-err`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

export type BrandingValues = {
  name: string
  bannerText: string | null
  primaryColor: string
  accentColor: string
  logoUrl: string | null
  shortName: string | null
}

export function BrandingForm({ platform, result }: { platform: BrandingValues; result: unknown }) {
  const t = useT()
  const [name, setName] = useState(platform.name)
  const [banner, setBanner] = useState(platform.bannerText ?? '')
  const [primary, setPrimary] = useState(platform.primaryColor)
  const [accent, setAccent] = useState(platform.accentColor)
  const err = (f: string) => {
    const k = fieldError(result, f)
    return k ? t(k) : undefined
  }
  return (
    <Form method="post" className="stack" noValidate data-testid="branding-form" preventScrollReset>
      <CsrfInput />
      <input type="hidden" name="intent" value="branding" />
      <div className="field">
        <label htmlFor="f-name">{t('field.name')}</label>
        <input
          id="f-name"
          name="name"
          value={name}
          maxLength={60}
          onChange={(e) => setName(e.currentTarget.value)}
          aria-invalid={err('name') ? true : undefined}
        />
        {err('name') ? <p className="field-error">{err('name')}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="f-bannerText">{t('field.bannerText')}</label>
        <input
          id="f-bannerText"
          name="bannerText"
          value={banner}
          maxLength={120}
          onChange={(e) => setBanner(e.currentTarget.value)}
        />
        {err('bannerText') ? <p className="field-error">{err('bannerText')}</p> : null}
      </div>
      <div className="color-row">
        <ColorField
          name="primaryColor"
          label={t('field.primaryColor')}
          value={primary}
          onChange={setPrimary}
          error={err('primaryColor')}
        />
        <ColorField
          name="accentColor"
          label={t('field.accentColor')}
          value={accent}
          onChange={setAccent}
          error={err('accentColor')}
        />
      </div>
      <BrandPreview
        name={name}
        banner={banner}
        primary={primary}
        accent={accent}
        logoUrl={platform.logoUrl}
        mark={(platform.shortName ?? name).slice(0, 1)}
      />
      <button type="submit" className="button">
        {t('form.save')}
      </button>
    </Form>
  )
}

/** The header as it will look, updating as the colours and texts change. */
export function BrandPreview(props: {
  name: string
  banner: string
  primary: string
  accent: string
  logoUrl: string | null
  mark: string
}) {
  const t = useT()
  const style = {
    '--brand': HEX.test(props.primary) ? props.primary : '#1d4ed8',
    '--accent': HEX.test(props.accent) ? props.accent : '#f59e0b',
  } as CSSProperties
  return (
    <figure
      className="brand-preview"
      style={style}
      data-testid="brand-preview"
      aria-label={t('admin.branding.preview')}
    >
      <figcaption className="muted small">{t('admin.branding.preview')}</figcaption>
      <div className="brand-preview-header">
        {props.logoUrl ? (
          <img src={props.logoUrl} alt="" className="brand-logo" />
        ) : (
          <span className="brand-mark" aria-hidden="true">
            {props.mark}
          </span>
        )}
        <strong>{props.name || '—'}</strong>
      </div>
      <div className="brand-preview-nav">
        <span className="active">{t('nav.home')}</span>
        <span>{t('nav.resources')}</span>
      </div>
      {props.banner ? <div className="brand-preview-banner">{props.banner}</div> : null}
      <div className="brand-preview-body">
        <span className="brand-preview-link">{t('admin.branding.previewLink')}</span>
        <span className="button small">{t('admin.branding.previewButton')}</span>
        <span className="badge">{t('admin.branding.previewBadge')}</span>
      </div>
    </figure>
  )
}

/** 平台标志: upload an image (PNG, JPEG, WebP or GIF, at most 512 KB); the server checks it by its
 * content and stores a small WebP made from it. The chosen file shows before it is sent. */
export function LogoForm({ logoUrl, result }: { logoUrl: string | null; result: unknown }) {
  const t = useT()
  const navigation = useNavigation()
  const [preview, setPreview] = useState<string | null>(null)
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview])
  // Once saved, the stored (processed) logo is what shows.
  useEffect(() => setPreview(null), [logoUrl])
  const err = fieldError(result, 'logo')
  const shown = preview ?? logoUrl
  return (
    <div className="stack" data-testid="logo-section">
      <div className="logo-current">
        {shown ? (
          <img src={shown} alt={t('admin.logo.current')} className="logo-sample" data-testid="logo-current" />
        ) : (
          <span className="muted">{t('admin.logo.none')}</span>
        )}
      </div>
      <Form method="post" encType="multipart/form-data" className="stack" preventScrollReset>
        <CsrfInput />
        <input type="hidden" name="intent" value="logo" />
        <Field name="logo" label="admin.logo.choose" result={result}>
          <input
            id="f-logo"
            type="file"
            name="logo"
            accept="image/png,image/jpeg,image/webp,image/gif"
            aria-invalid={err ? true : undefined}
            aria-describedby="logo-hint"
            data-testid="logo-input"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0]
              setPreview(f && f.type.startsWith('image/') ? URL.createObjectURL(f) : null)
            }}
          />
        </Field>
        <p id="logo-hint" className="muted small">
          {t('admin.logo.hint')}
        </p>
        <div className="admin-row">
          <button
            type="submit"
            className="button"
            disabled={navigation.state === 'submitting'}
            data-testid="logo-upload"
          >
            {t('admin.logo.upload')}
          </button>
        </div>
      </Form>
      {logoUrl ? (
        <Form method="post" preventScrollReset>
          <CsrfInput />
          <input type="hidden" name="intent" value="logo-remove" />
          <button type="submit" className="link-button small">
            {t('admin.logo.remove')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

export function FooterForm({
  values,
  result,
}: {
  values: { hostUnit: string | null; contact: string | null; icpNumber: string | null }
  result: unknown
}) {
  const t = useT()
  return (
    <Form method="post" className="stack" noValidate data-testid="footer-form" preventScrollReset>
      <CsrfInput />
      <input type="hidden" name="intent" value="footer" />
      <Field
        name="hostUnit"
        label="admin.footer.hostUnit"
        defaultValue={values.hostUnit ?? ''}
        result={result}
        maxLength={60}
      />
      <Field
        name="contact"
        label="admin.footer.contact"
        defaultValue={values.contact ?? ''}
        result={result}
        maxLength={100}
      />
      <Field
        name="icpNumber"
        label="admin.footer.icp"
        defaultValue={values.icpNumber ?? ''}
        result={result}
        maxLength={40}
      />
      <p className="muted small">{t('admin.footer.icpHint')}</p>
      <button type="submit" className="button">
        {t('form.save')}
      </button>
    </Form>
  )
}
