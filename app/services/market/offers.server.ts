/**
 * A provider's prices (定价). One offer per kind of licence (scope, term, and for schools seats
 * or the whole school); changing a price retires the old offer and makes a new one, so orders
 * already placed keep what they bought. Only the resource's owner prices it, only while it is
 * published and premium, and only if they may sell (`market.sell`).
 */
import { prisma, type Tx } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import {
  LICENCE_SCOPES,
  LICENCE_TERMS,
  LICENCE_USES,
  MAX_SEATS,
  type LicenceScopeCode,
  type LicenceTermCode,
} from '~/lib/market-codes.ts'
import { writeAudit } from '../audit.server.ts'
import { can, type Actor } from '../authorization.server.ts'
import { parseYuan } from './money.ts'

export type OfferInput = { scope: string; term: string; seats?: string; price: string; uses: string[] }

const PRICE_MESSAGE: Record<string, MessageKey> = {
  invalid: 'market.error.priceInvalid',
  tooManyDecimals: 'market.error.priceDecimals',
  tooLow: 'market.error.priceTooLow',
  tooHigh: 'market.error.priceTooHigh',
}

/** Checks a form's offer; every problem is named on its field. */
export function checkOffer(input: OfferInput) {
  const fields: Partial<Record<string, MessageKey>> = {}
  const scope = LICENCE_SCOPES.find((s) => s === input.scope)
  const term = LICENCE_TERMS.find((t) => t === input.term)
  if (!scope) fields.scope = 'market.error.scope'
  if (!term) fields.term = 'market.error.term'
  const price = parseYuan(input.price ?? '')
  if (!price.ok) fields.price = PRICE_MESSAGE[price.problem]
  let seats: number | null = null
  const seatText = (input.seats ?? '').trim()
  if (seatText) {
    if (scope !== 'SCHOOL') fields.seats = 'market.error.seatsOnlySchool'
    else if (!/^\d{1,7}$/.test(seatText) || Number(seatText) < 1 || Number(seatText) > MAX_SEATS)
      fields.seats = 'market.error.seats'
    else seats = Number(seatText)
  }
  const uses = [...new Set(input.uses ?? [])]
  if (!uses.length || uses.some((u) => !(LICENCE_USES as readonly string[]).includes(u)))
    fields.uses = 'market.error.uses'
  if (Object.keys(fields).length || !scope || !term || !price.ok) throw validation(fields)
  return { scope: scope as LicenceScopeCode, term: term as LicenceTermCode, seats, priceFen: price.fen, uses }
}

async function sellable(actor: Actor, resourceId: string) {
  const resource = await prisma.resource.findUnique({
    where: { id: resourceId },
    select: { id: true, ownerId: true, status: true, licence: true, platform: { select: { id: true, path: true } } },
  })
  if (!resource || resource.status === 'DELETED') throw notFound()
  if (resource.ownerId !== actor.userId || !can(actor, 'market.sell', resource.platform)) throw forbidden()
  if (resource.status !== 'PUBLISHED' || resource.licence !== 'PREMIUM') throw conflict('market.error.notSellable')
  return resource
}

/** The lowest active price, shown on cards and search results as "from ¥…". */
async function refreshFromPrice(tx: Tx, resourceId: string) {
  const lowest = await tx.offer.aggregate({ where: { resourceId, active: true }, _min: { priceFen: true } })
  await tx.resource.update({ where: { id: resourceId }, data: { priceCents: lowest._min.priceFen } })
}

/** Sets (or changes) one price of a resource. */
export async function setOffer(actor: Actor | null, resourceId: string, input: OfferInput) {
  if (!actor) throw unauthenticated()
  const resource = await sellable(actor, resourceId)
  const o = checkOffer(input)
  return prisma.$transaction(async (tx) => {
    // Same kind of licence: same scope and term, and for schools seats-or-whole-school.
    await tx.offer.updateMany({
      where: { resourceId, active: true, scope: o.scope, term: o.term, seats: o.seats === null ? null : { not: null } },
      data: { active: false },
    })
    const offer = await tx.offer.create({
      data: {
        resourceId,
        sellerId: actor.userId,
        scope: o.scope,
        term: o.term,
        seats: o.seats,
        priceFen: o.priceFen,
        uses: o.uses,
      },
    })
    await refreshFromPrice(tx, resourceId)
    await writeAudit(
      {
        action: 'market.offer_set',
        actorId: actor.userId,
        platformId: resource.platform.id,
        targetType: 'resource',
        targetId: resourceId,
        data: { offerId: offer.id, scope: o.scope, term: o.term, seats: o.seats, priceFen: o.priceFen },
      },
      tx,
    )
    return offer
  })
}

/** Stops selling one kind of licence (licences already sold are untouched). */
export async function retireOffer(actor: Actor | null, offerId: string) {
  if (!actor) throw unauthenticated()
  const offer = await prisma.offer.findUnique({ where: { id: offerId }, select: { resourceId: true, active: true } })
  if (!offer?.resourceId) throw notFound()
  const resource = await sellable(actor, offer.resourceId)
  await prisma.$transaction(async (tx) => {
    await tx.offer.update({ where: { id: offerId }, data: { active: false } })
    await refreshFromPrice(tx, resource.id)
    await writeAudit(
      {
        action: 'market.offer_retire',
        actorId: actor.userId,
        platformId: resource.platform.id,
        targetType: 'offer',
        targetId: offerId,
      },
      tx,
    )
  })
}

/** What a resource page shows to buy: the active offers, cheapest first. */
export function activeOffers(resourceId: string) {
  return prisma.offer.findMany({
    where: { resourceId, active: true },
    orderBy: [{ scope: 'asc' }, { priceFen: 'asc' }],
    select: { id: true, scope: true, term: true, seats: true, priceFen: true, uses: true },
  })
}
