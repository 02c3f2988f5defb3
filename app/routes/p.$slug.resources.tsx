import { useT } from '~/components/i18n.tsx'

/** The catalogue arrives with the catalogue-and-search issue; until then the page says
 * truthfully that nothing is published yet. */
export default function Resources() {
  const t = useT()
  return (
    <section>
      <h1>{t('resources.title')}</h1>
      <div className="empty">
        <p>{t('resources.empty')}</p>
        <p className="muted">{t('resources.emptyHint')}</p>
      </div>
    </section>
  )
}
