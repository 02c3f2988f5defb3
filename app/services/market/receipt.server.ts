/**
 * An order's receipt as a PDF in Chinese (收据), for the buyer to print or file: who bought what
 * for whom, under which terms, what was paid, refunded and by which method, in Beijing time. The
 * text is drawn with Noto Sans CJK (Debian's fonts-noto-cjk), subset-embedded by pdfkit.
 */
import fs from 'node:fs'
import PDFDocument from 'pdfkit'
import { formatDateTime } from '~/lib/dates.ts'
import { translator, type MessageKey } from '~/lib/i18n/index.ts'
import { formatFen } from '~/lib/market-codes.ts'
import type { orderForViewer } from './orders.server.ts'

export const CJK_FONT = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  face: 'NotoSansCJKsc-Regular',
}

type Order = Awaited<ReturnType<typeof orderForViewer>>

export function receiptPdf(order: Order): Promise<Buffer> {
  const t = translator('zh-CN')
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `${t('market.receipt.title')} ${order.number}` },
  })
  if (fs.existsSync(CJK_FONT.path)) doc.font(CJK_FONT.path, CJK_FONT.face)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))

  doc.fontSize(20).text(t('market.receipt.title'), { align: 'center' }).moveDown()
  doc.fontSize(11)
  const line = (label: MessageKey, value: string) => doc.text(`${t(label)}：${value}`)
  line('market.receipt.number', order.number)
  line('market.receipt.platform', order.platform.name)
  line('market.receipt.buyer', order.buyer.displayName)
  line('market.receipt.seller', order.seller.displayName)
  line('market.receipt.status', t(`market.order.${order.status}`))
  if (order.paidAt) line('market.receipt.paidAt', formatDateTime(order.paidAt))
  if (order.paymentMethod) line('market.receipt.method', t(`market.method.${order.paymentMethod}` as MessageKey))
  doc.moveDown()
  for (const it of order.items) {
    doc.fontSize(12).text(it.title)
    doc.fontSize(10)
    const who = it.licence?.holderPlatform?.name ?? order.buyer.displayName
    doc.text(
      `${t(`market.scope.${it.scope}`)} · ${t(`market.term.${it.term}`)} · ${t('market.licensee')} ${who}` +
        (it.seats ? ` · ${t('market.seats', { n: it.seats })}` : ''),
    )
    doc.text(`${t('market.termsTitle')}：${it.uses.map((u) => t(`market.use.${u}` as MessageKey)).join('、')}`)
    doc.text(`${t('market.receipt.price')}：${formatFen(it.priceFen)}`).moveDown(0.5)
  }
  doc.moveDown().fontSize(12)
  line('market.receipt.total', formatFen(order.amountFen))
  if (order.refundedFen) line('market.receipt.refunded', formatFen(order.refundedFen))
  doc.moveDown(2).fontSize(9).fillColor('#555').text(t('market.receipt.note'))
  doc.end()
  return done
}
