import type { zhCNDaily } from './zh-CN.daily.ts'

export const enDaily: Record<keyof typeof zhCNDaily, string> = {}
