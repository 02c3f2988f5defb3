/** Codes of the review workflow, shared by services and pages (labels live in i18n). */
export const REASON_CODES = [
  'INACCURATE',
  'OFF_CURRICULUM',
  'POOR_QUALITY',
  'INCOMPLETE_METADATA',
  'COPYRIGHT',
  'INAPPROPRIATE',
  'DUPLICATE',
  'OTHER',
] as const
export const CRITERIA = ['SCIENTIFIC', 'EDUCATIONAL', 'TECHNICAL', 'ARTISTIC', 'NORMATIVE'] as const
/** The fields a reviewer may comment on one by one. */
export const REVIEW_FIELDS = [
  'title',
  'description',
  'curriculum',
  'knowledgePoints',
  'keywords',
  'licence',
  'file',
] as const
export const TAKEDOWN_REASONS = [
  'POLITICAL',
  'PORNOGRAPHY',
  'COPYRIGHT',
  'INACCURATE',
  'PRIVACY',
  'COMPLAINT',
  'OTHER',
] as const
/** Why someone reports a comment. */
export const REPORT_REASONS = ['SPAM', 'ABUSE', 'POLITICAL', 'PORNOGRAPHY', 'PRIVACY', 'OTHER'] as const
/** A resource can also be wrong or someone else's work. */
export const RESOURCE_REPORT_REASONS = ['COPYRIGHT', 'INACCURATE', ...REPORT_REASONS] as const
/** Roles a platform can push (推送) a resource or collection to. */
export const PUSH_ROLES = ['TEACHER', 'STUDENT', 'PARENT', 'REVIEWER', 'SCHOOL_PURCHASER'] as const
/** What a reviewer may decide, and the kinds of review (the 已审核 list filters by both). */
export const OUTCOMES = ['APPROVED', 'CHANGES_REQUESTED', 'REJECTED'] as const
export const REVIEW_KINDS = ['SUBMISSION', 'REVISION', 'RECOMMENDATION'] as const
