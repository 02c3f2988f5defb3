/** Sign-in, registration, account unlock and teacher certification strings (zh-CN, the source of keys). */
export const zhCNAuth = {}
