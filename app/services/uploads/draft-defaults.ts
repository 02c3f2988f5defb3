/**
 * What a new draft starts with, from the file a teacher chose: a title from the file name and
 * a resource type from its kind. Both are only proposals; the teacher changes them in the form.
 */
import type { ResourceTypeCode } from '~/lib/curriculum.ts'

const EXTENSION = /\.[a-z0-9]{1,8}$/i
/** "01-", "1.", "1、", "(1)", "（一）"; "1.2 分数的意义" (a section number) and "第1讲" stay: they are
 * part of the name in Chinese courseware. */
const LEADING_NUMBER =
  /^\s*(?:[(（]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]|[0-9]{1,3}\s*(?:[-_、)）]|[.．](?![0-9]))|[0-9]{1,3}\s+)\s*/
/** Copy and version marks file managers and teachers add: "- 副本", "(2)", "_final", " v3", "最终版"
 * ("copy" and "final" only as words of their own: "Semifinal" stays). */
const TRAILING_MARK =
  /(?:\s*[-_]?\s*(?:副本|拷贝|最终版|定稿)|(?:^|[\s_-]+)(?:copy|final)|\s*[(（]\d{1,2}[)）]|[-_ ]v\d{1,2})\s*$/i

/** The title proposed from a file name: no folder, extension, numbering or copy marks. */
export function titleFromFileName(name: string) {
  let s = name.replace(/\\/g, '/').split('/').pop() ?? ''
  s = s.replace(EXTENSION, '')
  s = s.replace(/[_]+/g, ' ')
  for (let i = 0; i < 3 && TRAILING_MARK.test(s); i++) s = s.replace(TRAILING_MARK, '')
  const numbered = s.replace(LEADING_NUMBER, '')
  // A name that is nothing but a number ("01.mp4") keeps it: something must be left to edit.
  s = numbered.trim() ? numbered : s
  s = s.replace(/\s+/g, ' ').trim()
  return (s || name.trim() || '未命名资源').slice(0, 120)
}

const BY_EXTENSION: Record<string, ResourceTypeCode> = {
  ppt: 'COURSEWARE',
  pptx: 'COURSEWARE',
  dps: 'COURSEWARE',
  key: 'COURSEWARE',
  doc: 'LESSON_PLAN',
  docx: 'LESSON_PLAN',
  wps: 'LESSON_PLAN',
  xls: 'MEDIA',
  xlsx: 'MEDIA',
  et: 'MEDIA',
  pdf: 'COURSEWARE',
}

/** A video is a 微课, a presentation a 课件, a Word document a 教学设计; pictures and sound are
 * 媒体素材. Adjustable: a PDF may as well be 习题 as 课件. */
export function typeFromFileName(name: string): ResourceTypeCode {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  if (['mp4', 'mov', 'mkv', 'webm', 'avi', 'flv', 'wmv', 'm4v'].includes(ext)) return 'MICRO_LECTURE'
  if (['mp3', 'm4a', 'wav', 'aac', 'jpg', 'jpeg', 'png', 'webp', 'gif'].includes(ext)) return 'MEDIA'
  return BY_EXTENSION[ext] ?? 'COURSEWARE'
}
