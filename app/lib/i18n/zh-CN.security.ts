/** Request limits, capability links and other strings of the web layer's protections (zh-CN, the source of keys). */
export const zhCNSecurity = {
  'http.bodyTooLarge': '提交的内容过大（上限 1 MB），已被拒绝。文件请通过上传功能提交。',
  'http.wrongLinkKind': '此链接不能用于访问该内容。',
  'http.previewOnly': '试看（试读）部分已结束；获得授权后可查看完整内容。',
  'resource.previewNotice': '试看：未获授权时可观看前 {seconds} 秒、阅读前 {pages} 页。',
}
