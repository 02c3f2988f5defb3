/** The confirmation after a decision: which resource, what was decided, and whether the review
 * is settled or waits for another reviewer; said above the next item (or the 已审核 list). */
import { useT } from '../i18n.tsx'

export type Receipt = { title: string; outcome: string; settled: boolean }

export function DecisionReceipt({ receipt, next }: { receipt: Receipt; next: boolean }) {
  const t = useT()
  return (
    <p className="alert alert-ok" role="status" data-testid="decision-receipt">
      {t('reviewer.receipt', {
        title: receipt.title,
        outcome: t(`review.outcome.${receipt.outcome as 'APPROVED'}`),
      })}
      {!receipt.settled && <> {t('reviewer.receiptWaiting')}</>}{' '}
      {next ? t('reviewer.receiptNext') : t('reviewer.receiptQueueEmpty')}
    </p>
  )
}
