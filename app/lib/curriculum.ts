/**
 * Codes for resource metadata. Labels live in the i18n catalogues (`resourceType.<code>`,
 * `subject.<code>`, `grade.<code>`). The curriculum tree itself (stages, editions, volumes,
 * chapters, sections, knowledge points) is data in the database: see prisma/taxonomy/.
 */

/** CELTS-41's nine categories, then the everyday types teachers name (each mapped to one). */
export const CELTS_TYPES = [
  'MEDIA',
  'TEST_ITEM',
  'EXAM',
  'COURSEWARE',
  'CASE',
  'LITERATURE',
  'FAQ',
  'DIRECTORY',
  'ONLINE_COURSE',
] as const
export const EVERYDAY_TYPES = {
  MICRO_LECTURE: 'MEDIA',
  LESSON_PLAN: 'CASE',
  STUDY_GUIDE: 'LITERATURE',
  EXERCISE: 'TEST_ITEM',
  TASK_SHEET: 'LITERATURE',
} as const
export const RESOURCE_TYPES = [
  'MICRO_LECTURE',
  'COURSEWARE',
  'LESSON_PLAN',
  'STUDY_GUIDE',
  'EXERCISE',
  'TASK_SHEET',
  'EXAM',
  'MEDIA',
  'TEST_ITEM',
  'CASE',
  'LITERATURE',
  'FAQ',
  'DIRECTORY',
  'ONLINE_COURSE',
  'OTHER',
] as const
export const SUBJECTS = [
  'CHINESE',
  'MATH',
  'ENGLISH',
  'PHYSICS',
  'CHEMISTRY',
  'BIOLOGY',
  'HISTORY',
  'GEOGRAPHY',
  'POLITICS',
  'SCIENCE',
  'IT',
  'ART',
  'MUSIC',
  'PE',
] as const
export const GRADES = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9', 'G10', 'G11', 'G12'] as const

export type ResourceTypeCode = (typeof RESOURCE_TYPES)[number]
export type SubjectCode = (typeof SUBJECTS)[number]
export type GradeCode = (typeof GRADES)[number]

/** Licences a resource can carry: Creative Commons, all rights reserved, or premium (sold). */
export const LICENCES = [
  'CC-BY',
  'CC-BY-SA',
  'CC-BY-NC',
  'CC-BY-NC-SA',
  'CC-BY-ND',
  'CC-BY-NC-ND',
  'CC0',
  'ALL_RIGHTS_RESERVED',
  'PREMIUM',
] as const
export const LANGUAGES = ['zh', 'en', 'ja', 'fr', 'de', 'ru', 'es', 'other'] as const
export const INTENDED_USERS = ['TEACHER', 'STUDENT', 'PARENT'] as const
export type LicenceCode = (typeof LICENCES)[number]
