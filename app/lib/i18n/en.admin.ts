import type { zhCNAdmin } from './zh-CN.admin.ts'

export const enAdmin: Record<keyof typeof zhCNAdmin, string> = {}
