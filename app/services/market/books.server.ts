/**
 * The trading operator's and the regulator's books: orders, refunds, disputes and fees of the
 * platforms they oversee (their platform and every one below it), by period; the ledger's totals;
 * fee rates. Both read (`market.books.read`); only the operator writes (`market.operate`): the
 * regulator is refused every change here, in the service.
 */
import { prisma } from '~/lib/db.server.ts'
import { notFound, validation } from '~/lib/errors.ts'
import { writeAudit } from '../audit.server.ts'
import { assertCan, can, type Actor, type PlatformRef } from '../authorization.server.ts'
import type { Period } from './providers.server.ts'

export const MAX_FEE_RATE_BPS = 3000

const inTree = (portal: PlatformRef) => ({ OR: [{ id: portal.id }, { path: { startsWith: `${portal.path}/` } }] })

export async function marketBooks(actor: Actor | null, portal: PlatformRef, period: Period) {
  assertCan(actor, 'market.books.read', portal)
  const where = { platform: inTree(portal), createdAt: { gte: period.from, lt: period.to } }
  const [orders, ledger, invoices, platforms] = await Promise.all([
    prisma.order.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      take: 500,
      select: {
        id: true,
        number: true,
        status: true,
        amountFen: true,
        feeFen: true,
        refundedFen: true,
        disputeStatus: true,
        paymentMethod: true,
        createdAt: true,
        paidAt: true,
        buyer: { select: { displayName: true } },
        seller: { select: { displayName: true } },
        platform: { select: { name: true } },
        items: { select: { id: true, title: true, scope: true, priceFen: true, refundedFen: true } },
      },
    }),
    // Totals by when the money moved (a December refund of a November order is December's).
    prisma.ledgerEntry.groupBy({
      by: ['kind', 'account'],
      where: { order: { platform: inTree(portal) }, createdAt: { gte: period.from, lt: period.to } },
      _sum: { amountFen: true },
    }),
    prisma.invoiceRequest.findMany({
      where: { order: { platform: inTree(portal) } },
      orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
      take: 200,
      include: { order: { select: { number: true, amountFen: true, refundedFen: true } } },
    }),
    prisma.platform.findMany({
      where: { ...inTree(portal), level: { not: 'SCHOOL' } },
      orderBy: { path: 'asc' },
      select: { id: true, name: true, feeRateBps: true },
    }),
  ])
  const sum = (kind: string, account: string) =>
    ledger.find((l) => l.kind === kind && l.account === account)?._sum.amountFen ?? 0
  const totals = {
    paid: -sum('PAYMENT', 'BUYER'),
    fees:
      sum('PAYMENT', 'PLATFORM_FEE') +
      sum('REFUND', 'PLATFORM_FEE') +
      sum('DISPUTE', 'PLATFORM_FEE') +
      sum('DISPUTE_WON', 'PLATFORM_FEE'),
    refunded: sum('REFUND', 'BUYER'),
    disputed: sum('DISPUTE', 'BUYER') + sum('DISPUTE_WON', 'BUYER'),
    providers:
      sum('PAYMENT', 'PROVIDER') +
      sum('REFUND', 'PROVIDER') +
      sum('DISPUTE', 'PROVIDER') +
      sum('DISPUTE_WON', 'PROVIDER'),
  }
  return { orders, totals, invoices, platforms, canOperate: can(actor, 'market.operate', portal) }
}

/** The fee on sales made on a platform's portal, in basis points (0–30 %). */
export async function setFeeRate(actor: Actor | null, platformId: string, percent: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(platformId)) throw notFound()
  const platform = await prisma.platform.findUnique({
    where: { id: platformId },
    select: { id: true, path: true, feeRateBps: true },
  })
  if (!platform) throw notFound()
  assertCan(actor, 'market.operate', platform)
  const m = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(percent.trim().replace(/%$/, ''))
  const bps = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_FEE_RATE_BPS) throw validation({ feeRate: 'market.error.feeRate' })
  await prisma.$transaction(async (tx) => {
    await tx.platform.update({ where: { id: platform.id }, data: { feeRateBps: bps } })
    await writeAudit(
      {
        action: 'market.fee_rate',
        actorId: actor.userId,
        platformId: platform.id,
        data: { from: platform.feeRateBps, to: bps },
      },
      tx,
    )
  })
  return bps
}
