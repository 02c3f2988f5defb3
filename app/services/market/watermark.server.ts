/**
 * Licensed documents are downloaded with a visible watermark — the licensee's name, the order
 * number and the day — on every page, stamped as the file is served, so that a leaked copy can be
 * traced to its licence. The original in storage is never changed.
 *
 * pdf-lib cannot embed a CJK font collection (../shared/platform-notes.md), so the stamp is drawn
 * once with pdfkit (Noto Sans CJK, subset-embedded) as one transparent page, and pdf-lib places
 * that page over every page of the document, scaled to each page's size.
 */
import fs from 'node:fs'
import { PDFDocument as LibDocument } from 'pdf-lib'
import PDFKit from 'pdfkit'
import { CJK_FONT } from './receipt.server.ts'

const STAMP_W = 595
const STAMP_H = 842

/** One A4 page, transparent but for the marks: three diagonal lines across and a footer. */
function stampPage(lines: string[]): Promise<Buffer> {
  const doc = new PDFKit({ size: [STAMP_W, STAMP_H], margin: 0 })
  if (fs.existsSync(CJK_FONT.path)) doc.font(CJK_FONT.path, CJK_FONT.face)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  const text = lines.join('  ')
  doc.save().fillColor('#9ca3af').fillOpacity(0.28).fontSize(16)
  for (const y of [200, 420, 640]) {
    doc.save().rotate(-30, { origin: [STAMP_W / 2, y] })
    doc.text(text, -150, y, { width: STAMP_W + 300, align: 'center', lineBreak: false })
    doc.restore()
  }
  doc.restore()
  doc.fillColor('#4b5563').fillOpacity(0.8).fontSize(8)
  doc.text(text, 24, STAMP_H - 22, { width: STAMP_W - 48, align: 'center', lineBreak: false })
  doc.end()
  return done
}

/** The document with the stamp over every page. */
export async function watermarkPdf(pdf: Uint8Array, lines: string[]): Promise<Uint8Array> {
  const target = await LibDocument.load(pdf, { updateMetadata: false })
  const [stamp] = await target.embedPdf(await stampPage(lines))
  for (const page of target.getPages()) {
    const { width, height } = page.getSize()
    const scale = Math.min(width / STAMP_W, height / STAMP_H)
    page.drawPage(stamp!, {
      x: (width - STAMP_W * scale) / 2,
      y: (height - STAMP_H * scale) / 2,
      width: STAMP_W * scale,
      height: STAMP_H * scale,
    })
  }
  return target.save()
}
