import type { PaymentLinkUpdate } from '../domain/remediation-input';
import type { StepContext } from './step-context';

/** Applies each requested payment-link update, one after another, recording each in the status. */
export async function updatePaymentLinksStep({ activities, accountID, tracker }: StepContext, paymentLinks: { code: string; update: PaymentLinkUpdate }[]): Promise<void> {
  tracker.setPhase('updating-payment-links');
  const indexes = tracker.paymentLinksRequested(paymentLinks.map(({ code }) => code));
  for (const [i, { code, update }] of paymentLinks.entries()) {
    tracker.paymentLinkUpdating(indexes[i]!);
    const updated = await activities.updatePaymentLink({ accountID, code, update });
    tracker.paymentLinkUpdated(indexes[i]!, updated);
  }
}
