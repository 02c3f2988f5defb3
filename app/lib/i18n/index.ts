/**
 * Every string the interface shows goes through here. zh-CN is the source of the keys;
 * the English catalogue must have exactly the same keys (the type checker enforces it).
 *
 * Plurals: a string that shows a count is written in its plural (`other`) form under its key, and
 * a language that needs more forms adds them beside it as `<key>_one` (or `_two`, `_few`, `_many`,
 * `_zero`), e.g. 'engagement.stars': '{n} stars' with 'engagement.stars_one': '{n} star'.
 * Intl.PluralRules of the locale picks the form from the count, which is the `count` parameter,
 * else `n`, else the only parameter that is a number. Chinese needs none (it has one form).
 */
import { zhCN } from './zh-CN.ts'
import { en } from './en.ts'
import { enPlural } from './en.plural.ts'

export type MessageKey = keyof typeof zhCN
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

/** The forms a language may add beside a key; the key itself holds `other`. */
export type PluralCategory = Exclude<Intl.LDMLPluralRule, 'other'>
export type PluralForms = Partial<Record<`${MessageKey}_${PluralCategory}`, string>>

const catalogues: Record<Locale, Record<MessageKey, string> & PluralForms> = {
  'zh-CN': zhCN,
  en: { ...en, ...enPlural },
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/** `t(key, params)`; `t.locale` is the language it speaks, for services that also localise data. */
export type Translate = ((key: MessageKey, params?: Record<string, string | number>) => string) & {
  readonly locale: Locale
}

/** The number a message's plural form depends on (see the top of this file), or null. */
export function pluralCount(params: Record<string, string | number> | undefined): number | null {
  if (!params) return null
  const asNumber = (v: string | number | undefined) =>
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : null
  if ('count' in params) return asNumber(params.count)
  if ('n' in params) return asNumber(params.n)
  const numbers = Object.values(params).filter((v): v is number => typeof v === 'number')
  return numbers.length === 1 ? numbers[0]! : null
}

const translators = new Map<Locale, Translate>()

/** The translator of a locale (one per locale, shared: it holds no state). */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale)
  if (!t) translators.set(locale, (t = createTranslator(locale)))
  return t
}

function createTranslator(locale: Locale): Translate {
  const messages: Record<string, string | undefined> = catalogues[locale]
  const rules = new Intl.PluralRules(locale)
  const t = (key: MessageKey, params?: Record<string, string | number>) => {
    const count = pluralCount(params)
    const form = count === null ? 'other' : rules.select(count)
    const template = (form !== 'other' ? messages[`${key}_${form}`] : undefined) ?? messages[key] ?? zhCN[key] ?? key
    return params
      ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
      : template
  }
  return Object.assign(t, { locale })
}

export function isMessageKey(k: string): k is MessageKey {
  return k in zhCN
}
