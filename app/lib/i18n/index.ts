/**
 * Every string the interface shows goes through here. zh-CN is the source of the keys;
 * the English catalogue must have exactly the same keys (the type checker enforces it).
 */
import { zhCN } from './zh-CN.ts'
import { en } from './en.ts'

export type MessageKey = keyof typeof zhCN
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export function translator(locale: Locale): Translate {
  const messages = catalogues[locale]
  return (key, params) => {
    const template = messages[key] ?? zhCN[key] ?? key
    return params
      ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
      : template
  }
}

export function isMessageKey(k: string): k is MessageKey {
  return k in zhCN
}
