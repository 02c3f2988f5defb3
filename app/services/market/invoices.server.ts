/**
 * 发票 requests: the buyer of a paid order gives the invoice's title (单位名称), tax number (a
 * unified social credit code, checked with its check character), and optionally address and bank
 * details; the trading operator sees the requests, issues the invoice outside the platform and
 * records its number here.
 */
import { prisma } from '~/lib/db.server.ts'
import { conflict, notFound, unauthenticated, validation } from '~/lib/errors.ts'
import type { MessageKey } from '~/lib/i18n/index.ts'
import { writeAudit } from '../audit.server.ts'
import { assertCan, type Actor } from '../authorization.server.ts'
import { isUnifiedSocialCreditCode } from './money.ts'

export type InvoiceInput = { title: string; taxNumber: string; address?: string; bank?: string }

export async function requestInvoice(actor: Actor | null, orderId: string, input: InvoiceInput) {
  if (!actor) throw unauthenticated()
  if (!/^[a-z0-9]{8,40}$/i.test(orderId)) throw notFound()
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: { id: true, buyerId: true, status: true, platformId: true, disputeStatus: true },
  })
  if (!order || order.buyerId !== actor.userId) throw notFound()
  // Money taken back by a lost chargeback is not invoiced.
  if ((order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED') || order.disputeStatus === 'lost')
    throw conflict('market.error.invoiceNotPaid')
  const title = input.title.trim()
  const taxNumber = input.taxNumber.replace(/\s+/g, '').toUpperCase()
  const fields: Partial<Record<string, MessageKey>> = {}
  if (title.length < 2 || title.length > 100) fields.title = 'market.error.invoiceTitle'
  if (!isUnifiedSocialCreditCode(taxNumber)) fields.taxNumber = 'market.error.taxNumber'
  const address = (input.address ?? '').trim()
  const bank = (input.bank ?? '').trim()
  if (address.length > 200) fields.address = 'market.error.tooLong'
  if (bank.length > 200) fields.bank = 'market.error.tooLong'
  if (Object.keys(fields).length) throw validation(fields)
  try {
    return await prisma.$transaction(async (tx) => {
      const invoice = await tx.invoiceRequest.create({ data: { orderId: order.id, title, taxNumber, address, bank } })
      await writeAudit(
        {
          action: 'market.invoice_request',
          actorId: actor.userId,
          platformId: order.platformId,
          targetType: 'order',
          targetId: order.id,
        },
        tx,
      )
      return invoice
    })
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw conflict('market.error.invoiceExists')
    throw e
  }
}

export async function issueInvoice(actor: Actor | null, invoiceId: string, invoiceNumber: string) {
  if (!/^[a-z0-9]{8,40}$/i.test(invoiceId)) throw notFound()
  const invoice = await prisma.invoiceRequest.findUnique({
    where: { id: invoiceId },
    select: { id: true, status: true, order: { select: { id: true, platform: { select: { id: true, path: true } } } } },
  })
  if (!invoice) throw notFound()
  assertCan(actor, 'market.operate', invoice.order.platform)
  const number = invoiceNumber.trim()
  if (!/^[0-9A-Za-z-]{8,30}$/.test(number)) throw validation({ invoiceNumber: 'market.error.invoiceNumber' })
  if (invoice.status === 'ISSUED') throw conflict('market.error.invoiceIssued')
  await prisma.$transaction(async (tx) => {
    await tx.invoiceRequest.update({
      where: { id: invoice.id },
      data: { status: 'ISSUED', invoiceNumber: number, issuedAt: new Date(), issuedById: actor.userId },
    })
    await writeAudit(
      {
        action: 'market.invoice_issue',
        actorId: actor.userId,
        platformId: invoice.order.platform.id,
        targetType: 'order',
        targetId: invoice.order.id,
        data: { invoiceNumber: number },
      },
      tx,
    )
  })
}
