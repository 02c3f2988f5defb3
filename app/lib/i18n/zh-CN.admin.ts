/** Platform administration strings (resource management, members, audit, branding, footer) (zh-CN, the source of keys). */
export const zhCNAdmin = {}
