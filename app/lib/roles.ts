import type { Role } from '../generated/prisma/enums.ts'

/** The roles, in the order the interface lists them. Shared by server and browser code
 * (the Prisma enum lives in a server-only module); a unit test keeps it equal to the enum. */
export const ROLES = [
  'TEACHER',
  'STUDENT',
  'PARENT',
  'MEMBER',
  'REVIEWER',
  'PLATFORM_ADMIN',
  'SCHOOL_PURCHASER',
  'PROVIDER',
  'TRADING_OPERATOR',
  'REGULATOR',
  'PROVINCE_ADMIN',
] as const satisfies readonly Role[]
