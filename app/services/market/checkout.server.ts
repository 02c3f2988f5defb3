/**
 * Buying a licence: from an offer to a Stripe Checkout Session (card, Alipay, WeChat Pay; CNY).
 * The money is a destination charge: the buyer pays the platform's Stripe account, the
 * provider's share goes to their connected account, and the platform keeps its fee as
 * `application_fee_amount` (rate of the portal it was bought on). Nothing is granted here: the
 * licence comes with the signed webhook once Stripe says the money is there (webhooks.server.ts).
 *
 * Two checkouts of the same licence by the same buyer at the same moment are one order: the
 * order's `openKey` (buyer + offer + licensee) is unique while it is open, and the Stripe call's
 * idempotency key is the order's id, so both get the same session.
 */
import { randomBytes } from 'node:crypto'
import { prisma } from '~/lib/db.server.ts'
import { conflict, forbidden, notFound, unauthenticated, unavailable, validation } from '~/lib/errors.ts'
import { logger } from '~/lib/logger.server.ts'
import { stripe, type Stripe } from '~/lib/stripe.server.ts'
import { beijingParts } from '~/lib/dates.ts'
import { writeAudit } from '../audit.server.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'
import { loadVisibleResource } from '../resources/access.server.ts'
import { coverageFor } from './licences.server.ts'
import { feeOf } from './money.ts'

/** How long a checkout page stays payable (Stripe's minimum is 30 minutes). */
const CHECKOUT_MINUTES = 60

/** ERC20261202-7KQ4M2: the day in Beijing and six characters nobody can guess. */
export function orderNumber(now = new Date()) {
  const p = beijingParts(now)!
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  const tail = [...randomBytes(6)].map((b) => alphabet[b % 32]).join('')
  return `ERC${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}-${tail}`
}

/** Closes an unpaid Checkout Session; false when it cannot be (it was completed meanwhile). */
async function expireAtStripe(sessionId: string | null) {
  if (!sessionId) return true
  try {
    const session = await stripe().checkout.sessions.retrieve(sessionId)
    if (session.status === 'expired') return true
    if (session.status !== 'open') return false
    await stripe().checkout.sessions.expire(sessionId)
    return true
  } catch (e) {
    logger.warn({ err: e, sessionId }, 'stale checkout session not expired')
    throw unavailable('market.error.paymentUnavailable')
  }
}

export type CheckoutInput = { offerId: string; licenseePlatformId?: string }
export type CheckoutResult = { orderId: string; url: string }

async function loadOffer(offerId: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(offerId)) throw notFound()
  const offer = await prisma.offer.findUnique({
    where: { id: offerId },
    include: {
      resource: { select: { id: true, title: true, status: true, licence: true, ownerId: true } },
      seller: { select: { id: true, status: true, providerAccount: true } },
    },
  })
  if (!offer?.resource) throw notFound()
  return offer as typeof offer & { resource: NonNullable<typeof offer.resource> }
}

/** Whom the licence is for, checked against what the buyer may buy for. */
async function licenseeOf(actor: Actor, scope: string, platformId: string | undefined) {
  if (scope === 'PERSONAL') return { userId: actor.userId, platformId: null }
  if (!platformId || !/^[a-z0-9]{8,40}$/i.test(platformId)) throw validation({ licensee: 'market.error.licensee' })
  const platform = await prisma.platform.findUnique({
    where: { id: platformId },
    select: { id: true, path: true, level: true, status: true },
  })
  if (!platform || platform.status !== 'ACTIVE') throw validation({ licensee: 'market.error.licensee' })
  if (scope === 'SCHOOL') {
    if (platform.level !== 'SCHOOL') throw validation({ licensee: 'market.error.licenseeSchool' })
    if (!can(actor, 'market.buy.school', platform)) throw forbidden('market.error.notPurchaser')
  } else {
    if (platform.level !== 'CITY' && platform.level !== 'COUNTY')
      throw validation({ licensee: 'market.error.licenseeRegion' })
    if (!can(actor, 'market.buy.region', platform)) throw forbidden('market.error.notRegionBuyer')
  }
  return { userId: null, platformId: platform.id }
}

/** Whether this licensee already holds a live licence of this scope for the resource. */
async function alreadyHeld(actor: Actor, scope: string, resourceId: string, licensee: { platformId: string | null }) {
  if (scope === 'PERSONAL') return (await coverageFor(actor.userId, resourceId))?.scope === 'PERSONAL'
  const held = await prisma.licence.count({
    where: {
      holderPlatformId: licensee.platformId,
      scope: scope as 'SCHOOL' | 'REGION',
      status: 'ACTIVE',
      resources: { some: { resourceId } },
      OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }],
    },
  })
  return held > 0
}

export async function startCheckout(
  actor: Actor | null,
  input: CheckoutInput,
  portal: PlatformRef,
  /** The portal's address as the buyer sees it (http://liling.localhost:3000, …/p/hunan): Stripe sends them back there. */
  portalUrl: string,
): Promise<CheckoutResult> {
  if (!actor) throw unauthenticated()
  const offer = await loadOffer(input.offerId)
  const r = offer.resource
  // Bought on a portal that shows it: the portal's fee applies and its operator's books hold the order.
  await loadVisibleResource(actor, r.id, portal)
  if (!offer.active) throw conflict('market.error.offerRetired')
  if (r.status !== 'PUBLISHED' || r.licence !== 'PREMIUM') throw conflict('market.error.notForSale')
  if (r.ownerId === actor.userId || offer.sellerId === actor.userId) throw conflict('market.error.ownResource')
  const account = offer.seller.providerAccount
  if (offer.seller.status !== 'ACTIVE' || !account?.chargesEnabled) throw conflict('market.error.sellerNotReady')
  const licensee = await licenseeOf(actor, offer.scope, input.licenseePlatformId)
  if (await alreadyHeld(actor, offer.scope, r.id, licensee)) throw conflict('market.error.alreadyLicensed')

  const openKey = `${actor.userId}:${offer.id}:${licensee.platformId ?? licensee.userId}`
  const feeRate = (await prisma.platform.findUniqueOrThrow({ where: { id: portal.id }, select: { feeRateBps: true } }))
    .feeRateBps
  let order = await prisma.order.findUnique({ where: { openKey }, include: { items: true } })
  if (order && order.status === 'PENDING' && order.createdAt.getTime() < Date.now() - (CHECKOUT_MINUTES - 5) * 60_000) {
    // An old open checkout nobody paid: close it at Stripe first, so that it cannot be paid after
    // we have given up on it, and start afresh. If Stripe says it was paid meanwhile, the webhook
    // grants it; the buyer is told to wait rather than charged twice.
    if (!(await expireAtStripe(order.checkoutSessionId))) throw conflict('market.error.awaitingPayment')
    const { count } = await prisma.order.updateMany({
      where: { id: order.id, status: 'PENDING' },
      data: { status: 'FAILED', openKey: null },
    })
    if (!count) throw conflict('market.error.awaitingPayment')
    order = null
  }
  if (order?.status === 'AWAITING_PAYMENT') throw conflict('market.error.awaitingPayment')
  if (!order) {
    try {
      order = await prisma.order.create({
        data: {
          number: orderNumber(),
          buyerId: actor.userId,
          sellerId: offer.sellerId,
          platformId: portal.id,
          amountFen: offer.priceFen,
          feeFen: feeOf(offer.priceFen, feeRate),
          feeRateBps: feeRate,
          openKey,
          items: {
            create: {
              offerId: offer.id,
              title: r.title,
              scope: offer.scope,
              term: offer.term,
              seats: offer.seats,
              uses: offer.uses,
              priceFen: offer.priceFen,
              licenseeUserId: licensee.userId,
              licenseePlatformId: licensee.platformId,
              resourceIds: [r.id],
            },
          },
        },
        include: { items: true },
      })
      await writeAudit({
        action: 'market.checkout',
        actorId: actor.userId,
        platformId: portal.id,
        targetType: 'order',
        targetId: order.id,
        data: { number: order.number, offerId: offer.id, amountFen: order.amountFen },
      })
    } catch (e) {
      // The same checkout started a moment ago in another request: continue with its order.
      if ((e as { code?: string }).code !== 'P2002') throw e
      order = await prisma.order.findUniqueOrThrow({ where: { openKey }, include: { items: true } })
    }
  }
  if (order.checkoutUrl && order.checkoutSessionId) return { orderId: order.id, url: order.checkoutUrl }

  const base = portalUrl.replace(/\/$/, '')
  let session: Stripe.Checkout.Session
  try {
    session = await stripe().checkout.sessions.create(
      {
        mode: 'payment',
        currency: 'cny',
        allowed_payment_method_types: ['card', 'alipay', 'wechat_pay'],
        payment_method_options: { wechat_pay: { client: 'web' } },
        line_items: order.items.map((it) => ({
          quantity: 1,
          price_data: { currency: 'cny', unit_amount: it.priceFen, product_data: { name: it.title } },
        })),
        payment_intent_data: {
          application_fee_amount: order.feeFen,
          transfer_data: { destination: account.stripeAccountId },
          metadata: { orderId: order.id, orderNumber: order.number },
        },
        client_reference_id: order.id,
        metadata: { orderId: order.id, orderNumber: order.number },
        // Stripe wants 30 minutes to 24 hours ahead; a retry of a failed create still asks for 31 or more.
        expires_at: Math.max(
          Math.floor(order.createdAt.getTime() / 1000) + CHECKOUT_MINUTES * 60,
          Math.floor(Date.now() / 1000) + 31 * 60,
        ),
        success_url: `${base}/orders/${order.id}?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${base}/r/${r.id}?checkout=cancelled`,
      },
      { idempotencyKey: `checkout:${order.id}` },
    )
  } catch (e) {
    logger.warn({ err: e, orderId: order.id }, 'stripe checkout session not created')
    throw unavailable('market.error.paymentUnavailable')
  }
  await prisma.order.updateMany({
    where: { id: order.id, checkoutSessionId: null },
    data: {
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
      paymentIntentId: typeof session.payment_intent === 'string' ? session.payment_intent : null,
    },
  })
  return { orderId: order.id, url: session.url! }
}
