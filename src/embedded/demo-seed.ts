import { randomUUID } from 'node:crypto';

/** What the demo remediation works on, created in the sandbox through its admin API. */
export interface DemoAccounts {
  merchantAccountID: string;
  principalAccountID: string;
  paymentLinkCode: string;
  merchantEmail: string;
}

/** One call of the sandbox admin API (the screenshot script seeds through it too). */
export async function admin(sandboxUrl: string, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox admin ${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A merchant whose verification is stuck (a rejected business document, missing profile data),
 * the principal platform account that needs the connection, and a payment link to update.
 * Fresh IDs on every run: the dev server keeps history in SQLite, and a new account never
 * joins a remediation left over from an earlier run against an earlier sandbox.
 */
export async function seedDemoAccounts(sandboxUrl: string): Promise<DemoAccounts> {
  const merchantAccountID = randomUUID();
  const principalAccountID = randomUUID();
  const paymentLinkCode = `demo${merchantAccountID.slice(0, 6)}`;
  const merchantEmail = 'owner@demo-yoga.example';
  await admin(sandboxUrl, 'POST', '/accounts', {
    accountID: merchantAccountID,
    accountType: 'business',
    displayName: 'Demo Yoga Studio LLC',
    email: merchantEmail,
    phone: { number: '5555555555', countryCode: '1' },
    capabilities: [
      { capability: 'transfers', status: 'enabled' },
      {
        capability: 'collect-funds',
        status: 'pending',
        requirements: {
          currentlyDue: ['document.business.verification', 'representative.0.government-id', 'business.description'],
          errors: [
            { requirement: 'document.business.verification', errorCode: 'document-name-mismatch' },
            { requirement: 'representative.0.government-id', errorCode: 'document-unreadable' },
          ],
        },
      },
    ],
  });
  await admin(sandboxUrl, 'POST', '/accounts', {
    accountID: principalAccountID,
    accountType: 'business',
    displayName: 'Demo Principal Platform',
  });
  await admin(sandboxUrl, 'POST', `/accounts/${merchantAccountID}/payment-links`, {
    code: paymentLinkCode,
    amount: { currency: 'USD', value: 2500 },
    display: { title: 'Drop-in class', description: 'One yoga class', callToAction: 'pay' },
  });
  return { merchantAccountID, principalAccountID, paymentLinkCode, merchantEmail };
}
