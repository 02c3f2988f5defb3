import type { zhCNSecurity } from './zh-CN.security.ts'

export const enSecurity: Record<keyof typeof zhCNSecurity, string> = {
  'http.bodyTooLarge':
    'The submitted content is too large (limit 1 MB) and was refused. Please send files through the uploader.',
  'http.wrongLinkKind': 'This link cannot be used to open this content.',
  'http.previewOnly': 'The preview ends here; a licence gives access to the whole resource.',
  'resource.previewNotice':
    'Preview: without a licence you can watch the first {seconds} seconds or read the first {pages} pages.',
}
