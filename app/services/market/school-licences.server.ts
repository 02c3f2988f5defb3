/**
 * A school purchaser's (学校采购) licences: what the school holds, who has its seats, and how much
 * each licence is used. Seats go only to teachers of that school, never past the number bought;
 * reclaiming one ends that teacher's access at their next request. Assigning takes a list of
 * phone numbers or e-mail addresses (typed, or the first column of a CSV file) and answers line
 * by line, so one wrong line does not lose the others.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { assertCan, type Actor, type PlatformRef } from '../authorization.server.ts'
import { identifierWhere, parseIdentifier } from '../auth/identifier.server.ts'
import { notify } from '../notifications/notify.server.ts'
import { membershipOf } from './licences.server.ts'

export const MAX_SEAT_LINES = 2000

export async function schoolLicences(actor: Actor | null, school: PlatformRef) {
  assertCan(actor, 'market.buy.school', school)
  const licences = await prisma.licence.findMany({
    where: { holderPlatformId: school.id, scope: 'SCHOOL' },
    orderBy: { createdAt: 'desc' },
    include: {
      orderItem: { select: { title: true, uses: true, term: true, order: { select: { number: true, status: true } } } },
      resources: { select: { resourceId: true } },
      seatAssignments: {
        orderBy: { assignedAt: 'asc' },
        select: { userId: true, assignedAt: true, user: { select: { displayName: true, phone: true, email: true } } },
      },
    },
  })
  // Usage: views and downloads of the licensed resources by the people the licence covers.
  const usage = await Promise.all(
    licences.map(async (l) => {
      const ids = l.resources.map((r) => r.resourceId)
      const rows = await prisma.$queryRaw<{ kind: string; n: bigint }[]>`
        SELECT u.kind::text AS kind, COUNT(*)::bigint AS n FROM "ResourceUsage" u
        WHERE u."resourceId" = ANY(${ids}::text[]) AND u.at >= ${l.startsAt}
          AND substring(u.visitor from 3) IN (
            SELECT s."userId" FROM "LicenceSeat" s WHERE s."licenceId" = ${l.id}
            UNION SELECT us.id FROM "User" us WHERE ${l.seats === null} AND us."homePlatformId" = ${school.id}
            UNION SELECT ra."userId" FROM "RoleAssignment" ra WHERE ${l.seats === null} AND ra."platformId" = ${school.id})
        GROUP BY u.kind`
      const of = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0)
      return { views: of('VIEW'), downloads: of('DOWNLOAD') }
    }),
  )
  return licences.map((l, i) => ({ ...l, usage: usage[i]! }))
}

async function loadSchoolLicence(actor: Actor | null, licenceId: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(licenceId)) throw notFound()
  const licence = await prisma.licence.findUnique({
    where: { id: licenceId },
    select: { id: true, scope: true, seats: true, status: true, holderPlatform: { select: { id: true, path: true } } },
  })
  if (!licence?.holderPlatform || licence.scope !== 'SCHOOL') throw notFound()
  assertCan(actor, 'market.buy.school', licence.holderPlatform)
  if (licence.seats === null) throw validation({}, 'market.error.wholeSchool')
  return { ...licence, school: licence.holderPlatform }
}

export type SeatLine = { line: number; text: string; ok: boolean; message: MessageKey }

/** Assigns seats to the teachers named, one line each; the answer says what became of each line. */
export async function assignSeats(actor: Actor | null, licenceId: string, lines: string[]) {
  const licence = await loadSchoolLicence(actor, licenceId)
  if (licence.status !== 'ACTIVE') throw validation({}, 'market.error.licenceNotActive')
  const wanted = lines.map((t) => t.split(/[,，;\t]/)[0]!.trim()).filter(Boolean)
  if (wanted.length > MAX_SEAT_LINES) throw validation({ seats: 'market.error.tooManyLines' })
  const results: SeatLine[] = []
  await prisma.$transaction(
    async (tx) => {
      // Seats are counted under the licence's row lock: two purchasers assigning at once cannot overfill it.
      await tx.$queryRaw`SELECT id FROM "Licence" WHERE id = ${licence.id} FOR UPDATE`
      let used = await tx.licenceSeat.count({ where: { licenceId: licence.id } })
      for (const [i, text] of wanted.entries()) {
        const line = i + 1
        const id = parseIdentifier(text)
        const user = id ? await tx.user.findFirst({ where: identifierWhere(id), select: { id: true } }) : null
        const m = user ? await membershipOf(user.id, tx) : null
        if (!user || !m) {
          results.push({ line, text, ok: false, message: 'market.seat.unknownUser' })
          continue
        }
        if (!m.isTeacher || !m.schoolIds.includes(licence.school.id)) {
          results.push({ line, text, ok: false, message: 'market.seat.otherSchool' })
          continue
        }
        if (
          await tx.licenceSeat.findUnique({ where: { licenceId_userId: { licenceId: licence.id, userId: user.id } } })
        ) {
          results.push({ line, text, ok: true, message: 'market.seat.already' })
          continue
        }
        if (used >= licence.seats!) {
          results.push({ line, text, ok: false, message: 'market.seat.full' })
          continue
        }
        await tx.licenceSeat.create({ data: { licenceId: licence.id, userId: user.id, assignedById: actor!.userId } })
        used++
        results.push({ line, text, ok: true, message: 'market.seat.assigned' })
      }
      await writeAudit(
        {
          action: 'market.seat_assign',
          actorId: actor!.userId,
          platformId: licence.school.id,
          targetType: 'licence',
          targetId: licence.id,
          data: { assigned: results.filter((r) => r.message === 'market.seat.assigned').length },
        },
        tx,
      )
      // A CSV of a whole school's staff is a few thousand look-ups under the licence's lock.
    },
    { timeout: 60_000 },
  )
  return results
}

export async function reclaimSeat(actor: Actor | null, licenceId: string, userId: string) {
  const licence = await loadSchoolLicence(actor, licenceId)
  const removed = await prisma.$transaction(async (tx) => {
    const { count } = await tx.licenceSeat.deleteMany({ where: { licenceId: licence.id, userId } })
    if (count)
      await writeAudit(
        {
          action: 'market.seat_reclaim',
          actorId: actor!.userId,
          platformId: licence.school.id,
          targetType: 'licence',
          targetId: licence.id,
          data: { userId },
        },
        tx,
      )
    return count
  })
  if (!removed) throw forbidden('market.seat.notAssigned')
}

/** 申请学校采购: a teacher asks the purchasers of their school to buy a school licence of a
 * resource. Once a day per teacher and resource, so that nobody's inbox fills up. */
export async function askSchoolPurchase(actor: Actor | null, resourceId: string, link: string) {
  if (!actor) throw unauthenticated()
  if (!/^[a-z0-9]{8,40}$/i.test(resourceId)) throw notFound()
  const resource = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: { id: true, title: true, status: true, licence: true },
  })
  if (!resource || resource.status !== 'PUBLISHED' || resource.licence !== 'PREMIUM') throw notFound()
  const m = await membershipOf(actor.userId)
  if (!m?.isTeacher || !m.schoolIds.length) throw forbidden('market.error.noSchool')
  const purchasers = (
    await prisma.roleAssignment.findMany({
      where: { platformId: { in: m.schoolIds }, role: 'SCHOOL_PURCHASER', user: { status: 'ACTIVE' } },
      select: { userId: true },
    })
  ).map((r) => r.userId)
  if (!purchasers.length) throw conflict('market.error.noPurchaser')
  const since = new Date(Date.now() - 24 * 3600_000)
  const asked = await prisma.notification.count({
    where: {
      kind: 'market.schoolRequest',
      createdAt: { gte: since },
      userId: { in: purchasers },
      AND: [
        { params: { path: ['resourceId'], equals: resourceId } },
        { params: { path: ['teacherId'], equals: actor.userId } },
      ],
    },
  })
  if (asked) throw conflict('market.error.alreadyAsked')
  await prisma.$transaction((tx) =>
    notify(
      tx,
      purchasers,
      'market.schoolRequest',
      { teacher: actor.displayName, title: resource.title, resourceId, teacherId: actor.userId },
      link,
    ),
  )
}
