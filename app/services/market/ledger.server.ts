/**
 * The double-entry ledger: every money movement of an order is one journal whose entries sum to
 * zero. Three accounts per order: BUYER (what the buyer paid, negative; refunds bring it back),
 * PROVIDER (the provider's share, sent by destination charge to their connected account) and
 * PLATFORM_FEE (the platform's application fee). Kinds:
 *   PAYMENT      buyer −amount, provider +(amount − fee), platform fee +fee
 *   REFUND       buyer +x, provider −(x − f), platform fee −f   (reverse_transfer + refund_application_fee)
 *   DISPUTE      as a refund of the disputed amount (Stripe withdraws it while the dispute is open)
 *   DISPUTE_WON  the dispute's entries reversed
 * Entries are only ever added, in the same transaction as the change they record.
 */
import { randomUUID } from 'node:crypto'
import type { Tx } from '~/lib/db.server.ts'

export type LedgerKind = 'PAYMENT' | 'REFUND' | 'DISPUTE' | 'DISPUTE_WON'
export type Movement = { buyerFen: number; providerFen: number; feeFen: number }

/** The three entries of one movement of `amount` of which `fee` is the platform's, signed for the buyer paying. */
export function paymentMovement(amountFen: number, feeFen: number): Movement {
  return { buyerFen: -amountFen, providerFen: amountFen - feeFen, feeFen }
}

export const reversed = (m: Movement): Movement => ({
  buyerFen: -m.buyerFen,
  providerFen: -m.providerFen,
  feeFen: -m.feeFen,
})

export async function postJournal(tx: Tx, orderId: string, kind: LedgerKind, m: Movement) {
  if (m.buyerFen + m.providerFen + m.feeFen !== 0) throw new Error(`unbalanced ${kind} journal for ${orderId}`)
  const journalId = randomUUID()
  await tx.ledgerEntry.createMany({
    data: [
      { journalId, orderId, kind, account: 'BUYER', amountFen: m.buyerFen },
      { journalId, orderId, kind, account: 'PROVIDER', amountFen: m.providerFen },
      { journalId, orderId, kind, account: 'PLATFORM_FEE', amountFen: m.feeFen },
    ],
  })
  return journalId
}
