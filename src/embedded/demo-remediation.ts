import type { RemediationInput } from '../domain/remediation-input';
import type { MoovClient } from '../moov';
import type { DEMO_FILE_NAMES } from './demo-files';
import type { DemoAccounts } from './demo-seed';

/**
 * The demo's one remediation: the two documents behind the merchant's requirement errors, a
 * resolution link for what only the merchant can fix, the connection for the principal, and a
 * payment link update. Paths are relative to the merchant's folder, FILES_ROOT/<accountID>/.
 */
export function demoRemediationInput(accounts: DemoAccounts, files: typeof DEMO_FILE_NAMES): RemediationInput {
  return {
    accountID: accounts.merchantAccountID,
    files: [
      {
        path: files.pdf,
        filePurpose: 'business_verification',
        metadata: { requirement_id: 'document.business.verification', error_code: 'document-name-mismatch', comment: 'Articles of organization with the legal name' },
      },
      {
        path: files.png,
        filePurpose: 'representative_verification',
        metadata: { requirement_id: 'representative.0.government-id', error_code: 'document-unreadable' },
      },
    ],
    resolutionLink: { recipient: { email: accounts.merchantEmail } },
    connection: { principalAccountID: accounts.principalAccountID, allowScopes: ['accounts.read', 'capabilities.read', 'files.read'] },
    paymentLinks: [
      {
        code: accounts.paymentLinkCode,
        update: {
          display: { title: 'Drop-in class', description: 'One 60-minute yoga class', callToAction: 'book' },
          payment: { allowedMethods: ['card-payment', 'ach-debit-collect'], cardDetails: { dynamicDescriptor: 'DEMO YOGA STUDIO' } },
        },
      },
    ],
    // No poll option: the default 24-hour poll is only a safety net, and the demo's remediation
    // sees the merchant's fix through Moov's webhook (the sandbox sends it to the embedded receiver).
  };
}

/** What Moov says needs fixing, read through the same client the worker uses. */
export async function describeRequirements(moov: MoovClient, accountID: string): Promise<string[]> {
  const { data: capabilities } = await moov.listCapabilities(accountID);
  return capabilities.flatMap((capability) => {
    const errors = capability.requirements?.errors ?? [];
    const due = capability.requirements?.currentlyDue ?? [];
    if (errors.length === 0 && due.length === 0) return [];
    const errorText = errors.map((e) => `${e.requirement}${e.errorCode ? ` (${e.errorCode})` : ''}`).join(', ');
    return [`${capability.capability} is ${capability.status}: errors ${errorText || 'none'}; currently due ${due.join(', ') || 'nothing'}`];
  });
}
