import { shareConnectionStep } from './connection-step';
import { uploadRequiredFiles } from './file-upload-step';
import { updatePaymentLinksStep } from './payment-links-step';
import { ensureResolutionLink } from './resolution-link-step';
import type { StepContext } from './step-context';

/**
 * Does the work the addWork update accepted, with the same steps as the input's work, until none
 * is pending (more may arrive meanwhile). Called where the remediation can take it on: between the
 * steps, during the wait for another party's link, and during follow-through. The caller restores
 * its own phase afterwards. Nothing pending: no command at all, so histories without added work
 * replay unchanged.
 */
export async function doAddedWork(ctx: StepContext): Promise<void> {
  while (ctx.inbox.hasPending()) {
    const work = ctx.inbox.takePending();
    if (work.files?.length) await uploadRequiredFiles(ctx, work.files);
    if (work.connection) await shareConnectionStep(ctx, work.connection);
    if (work.paymentLinks?.length) await updatePaymentLinksStep(ctx, work.paymentLinks);
    if (work.resolutionLink) await ensureResolutionLink(ctx, work.resolutionLink.recipient);
  }
}
