/**
 * The one authorisation helper. Every service that reads private data or changes anything
 * asks `assertCan(actor, action, platform)`; the interface only hides what this refuses.
 *
 * A role is held on one platform. Some actions reach the platform's descendants (a city
 * admin administers its counties); others stay on the platform itself (a county reviewer
 * reviews that county's queue; a city reviewer sees county items only once recommended
 * upward, which the review issue adds as an explicit record, not as role reach).
 */
import { forbidden, unauthenticated } from '~/lib/errors.ts'
import { Role } from '~/lib/db.server.ts'

export type Action =
  | 'platform.admin'
  | 'platform.members.read'
  | 'platform.audit.read'
  | 'platform.branding.update'
  | 'role.grant'
  | 'user.status.change'
  | 'resource.upload'
  | 'review.queue'
  | 'resource.takedown'
  | 'platform.moderate'
  | 'market.sell'
  | 'market.buy.school'
  | 'market.buy.region'
  | 'market.operate'
  | 'market.books.read'

type Reach = 'self' | 'descendants'
type Rule = { role: Role; reach: Reach }

const ADMINS: Rule[] = [
  { role: Role.PLATFORM_ADMIN, reach: 'descendants' },
  { role: Role.PROVINCE_ADMIN, reach: 'descendants' },
]

export const POLICY: Record<Action, Rule[]> = {
  'platform.admin': ADMINS,
  'platform.members.read': ADMINS,
  'platform.branding.update': ADMINS,
  'role.grant': ADMINS,
  'user.status.change': ADMINS,
  // The regulator reads the trail of the platforms it oversees but changes nothing.
  'platform.audit.read': [...ADMINS, { role: Role.REGULATOR, reach: 'descendants' }],
  'resource.upload': [
    { role: Role.TEACHER, reach: 'self' },
    { role: Role.PROVIDER, reach: 'self' },
    { role: Role.PLATFORM_ADMIN, reach: 'self' },
  ],
  'review.queue': [{ role: Role.REVIEWER, reach: 'self' }],
  // The host unit answers for what is published on it, and so do the platforms above it.
  'resource.takedown': ADMINS,
  // Moderating and curating what a platform shows (hiding comments, handling reports, 遴选 and
  // 专题, seeing the review queue): its reviewers, and its admins and those above them.
  'platform.moderate': [{ role: Role.REVIEWER, reach: 'self' }, ...ADMINS],
  // The marketplace (ADR 0017). A provider sells its own published premium resources.
  'market.sell': [{ role: Role.PROVIDER, reach: 'descendants' }],
  // A school's purchaser (学校采购) buys and assigns its licences; a city or county's own admins
  // buy for their region (区域采购).
  'market.buy.school': [{ role: Role.SCHOOL_PURCHASER, reach: 'self' }],
  'market.buy.region': [{ role: Role.PLATFORM_ADMIN, reach: 'self' }],
  // The trading operator runs the books (refunds, fee rates, invoices); the regulator reads them.
  'market.operate': [{ role: Role.TRADING_OPERATOR, reach: 'descendants' }],
  'market.books.read': [
    { role: Role.TRADING_OPERATOR, reach: 'descendants' },
    { role: Role.REGULATOR, reach: 'descendants' },
  ],
}

/* MEMBER (a self-registered account, ADR 0015) appears in no rule above on purpose: browsing,
 * rating, commenting and collecting need only a signed-in actor (app/services/engagement/), and
 * upload rights come from TEACHER, granted by an admin's 教师认证, an invitation or import, or a
 * platform that opens teacher registration. */

/** Roles a platform admin may hand out; the marketplace and province-wide roles are kept
 * for province admins so that a county cannot appoint its own regulator. */
const PROVINCE_ONLY_ROLES: Role[] = [Role.PROVINCE_ADMIN, Role.REGULATOR, Role.TRADING_OPERATOR]

export type RoleGrant = { platformId: string; platformPath: string; role: Role }
export type Actor = { userId: string; displayName: string; roles: RoleGrant[] }
export type PlatformRef = { id: string; path: string }

export function isWithin(platformPath: string, ancestorPath: string) {
  return platformPath === ancestorPath || platformPath.startsWith(ancestorPath + '/')
}

function grants(actor: Actor, rule: Rule, platform: PlatformRef) {
  return actor.roles.some(
    (g) =>
      g.role === rule.role &&
      (rule.reach === 'self' ? g.platformId === platform.id : isWithin(platform.path, g.platformPath)),
  )
}

export function can(actor: Actor | null | undefined, action: Action, platform: PlatformRef): boolean {
  if (!actor) return false
  return POLICY[action].some((rule) => grants(actor, rule, platform))
}

export function assertCan(
  actor: Actor | null | undefined,
  action: Action,
  platform: PlatformRef,
): asserts actor is Actor {
  if (!actor) throw unauthenticated()
  if (!can(actor, action, platform)) throw forbidden()
}

export function canGrantRole(actor: Actor, role: Role, platform: PlatformRef) {
  if (!can(actor, 'role.grant', platform)) return false
  if (!PROVINCE_ONLY_ROLES.includes(role)) return true
  return grants(actor, { role: Role.PROVINCE_ADMIN, reach: 'descendants' }, platform)
}
