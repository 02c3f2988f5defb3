/**
 * Providers' payouts: a Stripe Connect Express account per provider, opened through Stripe's
 * hosted onboarding (account links). Whether it may take charges comes from Stripe
 * (`account.updated`, app/services/market/webhooks.server.ts), never from the provider's word.
 * A provider's sales, fees, refunds and net earnings by period come from the ledger.
 */
import { prisma } from '~/lib/db.server.ts'
import { forbidden, unauthenticated, unavailable } from '~/lib/errors.ts'
import { logger } from '~/lib/logger.server.ts'
import { stripe } from '~/lib/stripe.server.ts'
import { writeAudit } from '../audit.server.ts'
import { can, type Actor, type PlatformRef } from '../authorization.server.ts'

function assertSeller(actor: Actor | null, portal: PlatformRef): asserts actor is Actor {
  if (!actor) throw unauthenticated()
  if (!actor.roles.some((g) => g.role === 'PROVIDER') || !can(actor, 'market.sell', portal)) throw forbidden()
}

/** The onboarding page's address at Stripe (a new account the first time). */
export async function onboardingLink(actor: Actor | null, portal: PlatformRef, portalUrl: string) {
  assertSeller(actor, portal)
  try {
    let account = await prisma.providerAccount.findUnique({ where: { userId: actor.userId } })
    if (!account) {
      const created = await stripe().accounts.create(
        { type: 'express', country: 'CN', metadata: { userId: actor.userId } },
        { idempotencyKey: `provider-account:${actor.userId}` },
      )
      account = await prisma.providerAccount.upsert({
        where: { userId: actor.userId },
        create: { userId: actor.userId, stripeAccountId: created.id },
        update: {},
      })
      await writeAudit({
        action: 'market.provider_onboard',
        actorId: actor.userId,
        platformId: portal.id,
        targetType: 'providerAccount',
        targetId: account.stripeAccountId,
      })
    }
    const back = `${portalUrl.replace(/\/$/, '')}/sales`
    const link = await stripe().accountLinks.create({
      account: account.stripeAccountId,
      type: 'account_onboarding',
      return_url: `${back}?onboarding=done`,
      refresh_url: `${back}?onboarding=again`,
    })
    return link.url
  } catch (e) {
    logger.warn({ err: e, userId: actor.userId }, 'stripe onboarding link not made')
    throw unavailable('market.error.paymentUnavailable')
  }
}

export type Period = { from: Date; to: Date }

/** Reads the provider's account back from Stripe (on return from onboarding, in case the
 * account.updated event is late or goes to another endpoint). */
async function refreshAccount(userId: string) {
  const account = await prisma.providerAccount.findUnique({ where: { userId } })
  if (!account) return
  try {
    const a = await stripe().accounts.retrieve(account.stripeAccountId)
    await prisma.providerAccount.update({
      where: { userId },
      data: {
        detailsSubmitted: !!a.details_submitted,
        chargesEnabled: !!a.charges_enabled,
        payoutsEnabled: !!a.payouts_enabled,
      },
    })
  } catch (e) {
    logger.warn({ err: e, userId }, 'stripe account not read back; the webhook will tell')
  }
}

/** The provider's page: onboarding state, and sales by order in the period with the totals. */
export async function providerSales(
  actor: Actor | null,
  portal: PlatformRef,
  period: Period,
  opts: { refresh?: boolean } = {},
) {
  assertSeller(actor, portal)
  if (opts.refresh) await refreshAccount(actor.userId)
  const account = await prisma.providerAccount.findUnique({ where: { userId: actor.userId } })
  const orders = await prisma.order.findMany({
    where: { sellerId: actor.userId, paidAt: { gte: period.from, lt: period.to } },
    orderBy: { paidAt: 'desc' },
    take: 1000,
    select: {
      id: true,
      number: true,
      paidAt: true,
      status: true,
      amountFen: true,
      feeFen: true,
      refundedFen: true,
      items: { select: { title: true, scope: true } },
      refunds: { select: { amountFen: true, feeRefundFen: true } },
      ledger: { where: { account: 'PROVIDER' }, select: { amountFen: true } },
    },
  })
  const rows = orders.map((o) => ({
    ...o,
    net: o.ledger.reduce((s, e) => s + e.amountFen, 0),
    feeNet: o.feeFen - o.refunds.reduce((s, r) => s + r.feeRefundFen, 0),
  }))
  const totals = rows.reduce(
    (t, o) => ({
      sales: t.sales + o.amountFen,
      fees: t.fees + o.feeNet,
      refunds: t.refunds + o.refundedFen,
      net: t.net + o.net,
    }),
    { sales: 0, fees: 0, refunds: 0, net: 0 },
  )
  return { account, rows, totals }
}
