/** Daily-use strings of teachers and visitors (submission checks, host short paths, English names) (zh-CN, the source of keys). */
export const zhCNDaily = {}
