import type { zhCNAuth } from './zh-CN.auth.ts'

export const enAuth: Record<keyof typeof zhCNAuth, string> = {}
