/**
 * 用户与角色 on the admin page: a platform's members (users whose home it is, and anyone holding
 * a role on it), searched and a page at a time, with contact details masked.
 *
 * Who sees a phone number or e-mail address in full (ADR 0016): nobody in the list — it shows
 * 138****0033, so that a page of members on a projector or in a screenshot gives away nothing.
 * The admins who manage the member's account — those of the member's home platform and of the
 * platforms above it, the same people who may disable it (`user.status.change`) — may reveal one
 * member's contact on request (`revealMemberContact`), to call them about their account or a
 * 教师认证. Admins of a platform where the member merely holds a role see the masked form only.
 */
import { prisma, type Prisma, type Role } from '~/lib/db.server.ts'
import { forbidden, notFound } from '~/lib/errors.ts'
import { ROLES } from '~/lib/roles.ts'
import { assertCan, can, type Actor } from '../authorization.server.ts'
import { maskEmail, maskPhone } from './contact-mask.ts'
import { grantableRoles } from './manage-roles.server.ts'
import { writeAudit } from '../audit.server.ts'

export const MEMBERS_PAGE_SIZE = 20

export type MemberFilters = { q?: string | null; role?: string | null; page?: string | number | null }

function parse(f: MemberFilters) {
  const q = (f.q ?? '').trim().slice(0, 40)
  const role = f.role && (ROLES as readonly string[]).includes(f.role) ? (f.role as Role) : null
  const page = Math.min(Math.max(1, Math.floor(Number(f.page) || 1)), 10_000)
  return { q, role, page }
}

function searchWhere(platformId: string, f: ReturnType<typeof parse>): Prisma.UserWhereInput {
  const and: Prisma.UserWhereInput[] = [{ OR: [{ homePlatformId: platformId }, { roles: { some: { platformId } } }] }]
  if (f.role) and.push({ roles: { some: { platformId, role: f.role } } })
  if (f.q) {
    // A phone number or an e-mail address finds its owner only when typed in full: the list
    // masks them, and a search by fragments would unmask them digit by digit.
    const digits = f.q.replace(/[\s-]/g, '')
    and.push({
      OR: [
        { displayName: { contains: f.q, mode: 'insensitive' } },
        { schoolName: { contains: f.q, mode: 'insensitive' } },
        ...(/^1\d{10}$/.test(digits) ? [{ phone: digits }] : []),
        ...(f.q.includes('@') ? [{ email: f.q.toLowerCase() }] : []),
      ],
    })
  }
  return { AND: and }
}

async function platformRef(platformId: string) {
  const p = await prisma.platform.findUnique({ where: { id: platformId }, select: { id: true, path: true } })
  if (!p) throw notFound()
  return p
}

export async function searchPlatformMembers(actor: Actor | null, platformId: string, filters: MemberFilters) {
  const platform = await platformRef(platformId)
  assertCan(actor, 'platform.members.read', platform)
  const f = parse(filters)
  const where = searchWhere(platformId, f)
  const [total, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      select: {
        id: true,
        displayName: true,
        email: true,
        phone: true,
        status: true,
        schoolName: true,
        homePlatform: { select: { id: true, path: true, name: true } },
        roles: { where: { platformId }, select: { id: true, role: true }, orderBy: { role: 'asc' } },
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      skip: (f.page - 1) * MEMBERS_PAGE_SIZE,
      take: MEMBERS_PAGE_SIZE,
    }),
  ])
  const grantable = grantableRoles(actor, platform)
  return {
    filters: { q: f.q, role: f.role ?? '' },
    page: f.page,
    pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)),
    total,
    grantable,
    rows: users.map((u) => {
      const manages = can(actor, 'user.status.change', u.homePlatform)
      return {
        id: u.id,
        displayName: u.displayName,
        schoolName: u.schoolName,
        homePlatformName: u.homePlatform.id === platformId ? null : u.homePlatform.name,
        contact: u.phone ? maskPhone(u.phone) : u.email ? maskEmail(u.email) : '',
        status: u.status,
        canReveal: manages && !!(u.phone || u.email),
        canChangeStatus: manages && u.id !== actor.userId,
        roles: u.roles.map((r) => ({ id: r.id, role: r.role, revocable: grantable.includes(r.role) })),
      }
    }),
  }
}

/** One member's contact details in full, for the admins who manage the account (see above). */
export async function revealMemberContact(
  actor: Actor | null,
  platformId: string,
  userId: string,
  meta: { ip?: string; requestId?: string } = {},
) {
  const platform = await platformRef(platformId)
  assertCan(actor, 'platform.members.read', platform)
  const user = await prisma.user.findFirst({
    where: { id: userId, OR: [{ homePlatformId: platformId }, { roles: { some: { platformId } } }] },
    select: { id: true, phone: true, email: true, homePlatform: { select: { id: true, path: true } } },
  })
  if (!user) throw notFound()
  if (!can(actor, 'user.status.change', user.homePlatform)) throw forbidden()
  // Who looked at whose number, and from where: the only place a full number leaves the service.
  await writeAudit({
    action: 'user.contact_reveal',
    actorId: actor!.userId,
    platformId,
    targetType: 'User',
    targetId: user.id,
    ...meta,
  })
  return { userId: user.id, phone: user.phone, email: user.email }
}
