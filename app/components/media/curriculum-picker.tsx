/**
 * Cascading choice of a textbook position: stage → subject → edition → volume → chapter →
 * section, stopping at any level; then the chapter's knowledge points. Posts `curriculum`
 * (the deepest chosen node) and `knowledgePoints` with the form it sits in.
 */
import { useEffect, useState } from 'react'
import { useT } from '../i18n.tsx'

type Option = { id: string; name: string; level: string; hasChildren: boolean }
type Level = { options: Option[]; selected: string }
type Kp = { id: string; name: string }

async function fetchChildren(
  base: string,
  parent: string | null,
): Promise<{ children: Option[]; knowledgePoints: Kp[] }> {
  const res = await fetch(`${base}/api/curriculum${parent ? `?parent=${encodeURIComponent(parent)}` : ''}`)
  return res.ok ? res.json() : { children: [], knowledgePoints: [] }
}

export function CurriculumPicker({
  id,
  base,
  initialPath = [],
  initialKnowledgePoints = [],
}: {
  id?: string
  base: string
  initialPath?: string[]
  initialKnowledgePoints?: string[]
}) {
  const t = useT()
  const [levels, setLevels] = useState<Level[]>([])
  const [kps, setKps] = useState<Kp[]>([])
  const [chosenKps, setChosenKps] = useState<Set<string>>(new Set(initialKnowledgePoints))

  useEffect(() => {
    let cancelled = false
    void (async () => {
      // Roots, then each level of the initial path.
      const built: Level[] = []
      let parent: string | null = null
      let lastKps: Kp[] = []
      for (let i = 0; i <= initialPath.length; i++) {
        const { children, knowledgePoints } = await fetchChildren(base, parent)
        if (parent) lastKps = knowledgePoints
        if (!children.length) break
        const selected = initialPath[i] ?? ''
        built.push({ options: children, selected })
        if (!selected) break
        parent = selected
      }
      if (!cancelled) {
        setLevels(built)
        setKps(lastKps)
      }
    })()
    return () => {
      cancelled = true
    }
    // The initial path is read once; later choices are local state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base])

  const choose = async (index: number, id: string) => {
    const next = levels.slice(0, index + 1).map((l, i) => (i === index ? { ...l, selected: id } : l))
    setLevels(next)
    setKps([])
    if (!id) return
    const option = next[index]!.options.find((o) => o.id === id)
    const { children, knowledgePoints } = await fetchChildren(base, id)
    setKps(knowledgePoints)
    if (option?.hasChildren && children.length) setLevels([...next, { options: children, selected: '' }])
  }

  const deepest = [...levels].reverse().find((l) => l.selected)?.selected ?? ''
  return (
    <fieldset id={id} className="curriculum-picker wide" data-testid="curriculum-picker">
      <legend>
        {t('upload.meta.curriculum')} <span className="muted">{t('upload.meta.anyLevel')}</span>
      </legend>
      <input type="hidden" name="curriculum" value={deepest} />
      <div className="picker-levels">
        {levels.map((l, i) => {
          const level = l.options[0]?.level ?? 'STAGE'
          return (
            <label key={i}>
              {t(`curriculum.level.${level as 'STAGE'}`)}
              <select value={l.selected} onChange={(e) => void choose(i, e.target.value)}>
                <option value="">{t('upload.meta.choose')}</option>
                {l.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          )
        })}
      </div>
      {kps.length > 0 && (
        <div className="kp-list" role="group" aria-label={t('upload.meta.knowledgePoints')}>
          <span>{t('upload.meta.knowledgePoints')}</span>
          {kps.map((k) => (
            <label key={k.id} className="kp">
              <input
                type="checkbox"
                name="knowledgePoints"
                value={k.id}
                checked={chosenKps.has(k.id)}
                onChange={(e) => {
                  const s = new Set(chosenKps)
                  if (e.target.checked) s.add(k.id)
                  else s.delete(k.id)
                  setChosenKps(s)
                }}
              />
              {k.name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  )
}
