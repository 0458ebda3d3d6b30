import type { RemediationActivities } from '../domain/remediation-activities';
import type { PaymentLinkUpdate } from '../domain/remediation-input';
import type { StatusTracker } from './status-tracker';

/** Applies each requested payment-link update, one after another, recording each in the status. */
export async function updatePaymentLinksStep(
  activities: RemediationActivities,
  accountID: string,
  paymentLinks: { code: string; update: PaymentLinkUpdate }[],
  tracker: StatusTracker,
): Promise<void> {
  tracker.setPhase('updating-payment-links');
  tracker.status.paymentLinks = paymentLinks.map(({ code }) => ({ code, state: 'pending' }));
  for (const [index, { code, update }] of paymentLinks.entries()) {
    const progress = tracker.status.paymentLinks[index]!;
    progress.state = 'updating';
    const updated = await activities.updatePaymentLink({ accountID, code, update });
    Object.assign(progress, { state: 'updated', status: updated.status, requestId: updated.requestId });
  }
}
