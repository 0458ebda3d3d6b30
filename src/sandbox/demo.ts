import type { SandboxCore } from './context';
import { seedAccount } from './routes/admin';
import { newPaymentLink } from './routes/payment-links';

export const DEMO = {
  merchantAccountID: '5e1c7a52-9f3b-4d2e-8a61-0c4b7d9e2f13',
  principalAccountID: '7b2d9c4e-3a1f-4e8b-9c6d-2f5a8e1b4c70',
  paymentLinkCode: 'demoPayLnk',
} as const;

/**
 * A merchant in need of remediation, for `npm run sandbox -- --seed-demo`: a document requirement
 * error on collect-funds, a principal account to share the connection with, and a payment link.
 */
export function seedDemo(core: SandboxCore): typeof DEMO {
  const merchant = seedAccount(core, {
    accountID: DEMO.merchantAccountID,
    accountType: 'business',
    displayName: 'Demo Yoga Studio LLC',
    email: 'owner@demo-yoga.example',
    phone: { number: '5555555555', countryCode: '1' },
    capabilities: [
      { capability: 'transfers', status: 'enabled' },
      {
        capability: 'collect-funds',
        status: 'pending',
        requirements: {
          currentlyDue: ['document.business.verification', 'business.description'],
          errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
        },
      },
    ],
  });
  seedAccount(core, {
    accountID: DEMO.principalAccountID,
    accountType: 'business',
    displayName: 'Demo Principal Platform',
  });
  const link = newPaymentLink(core, merchant, {
    code: DEMO.paymentLinkCode,
    amount: { currency: 'USD', value: 4928 },
    display: { title: 'Yoga Class', description: 'Join us for a relaxing yoga class.', callToAction: 'pay' },
  });
  merchant.paymentLinks.set(link.code, link);
  return DEMO;
}
