import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RemediationInput } from '../../../src/domain/remediation-input';
import { DEFAULT_PARTNER_ACCOUNT_ID } from '../../../src/sandbox';
import { SAMPLE_FILES } from '../../support/demo-files';
import type { SandboxAdmin } from '../../support/sandbox-admin';
import type { ExpectedEffects } from '../../support/sandbox-audit';

const FILES = [
  { name: 'passport.pdf', filePurpose: 'identity_verification' },
  { name: 'utility-bill.png', filePurpose: 'business_verification' },
] as const;

export const FILES_PER_REMEDIATION = FILES.length;

/** One merchant of the chaos fleet: what its remediation asks for, and what Moov must hold afterwards. */
export interface ChaosMerchant {
  index: number;
  accountID: string;
  input: RemediationInput;
  expected: ExpectedEffects;
}

/**
 * Seeds the merchants (an account and a payment link each) and writes each one's documents into
 * its own folder, FILES_ROOT/<accountID>/, with bytes that name the account: the audit then tells
 * a file of this merchant from anyone else's by content, not only by name.
 */
export async function seedFleet(admin: SandboxAdmin, filesRoot: string, size: number): Promise<{ principal: string; merchants: ChaosMerchant[] }> {
  const { accountID: principal } = await admin.seedAccount({ displayName: 'Platform' });
  const merchants: ChaosMerchant[] = [];
  for (let index = 0; index < size; index++) {
    const email = `chaos-${index}@merchant.test`;
    const { accountID } = await admin.seedAccount({ displayName: `Chaos ${index}`, email });
    const { code } = await admin.seedPaymentLink(accountID);
    const files = await writeMerchantFiles(filesRoot, accountID);
    const connection = { principalAccountID: principal, allowScopes: ['accounts.read' as const] };
    const update = { amount: { currency: 'USD', value: 1000 + index }, display: { title: `Chaos class ${index}` } };
    merchants.push({
      index,
      accountID,
      input: {
        accountID,
        // Relative to the account's own folder, FILES_ROOT/<accountID>/ (the default FILES_LAYOUT).
        files: FILES.map(({ name, filePurpose }) => ({ path: name, filePurpose })),
        resolutionLink: { recipient: { email } },
        connection,
        paymentLinks: [{ code, update }],
        options: { followThrough: false, stepRetryTimeout: '30 minutes' },
      },
      expected: {
        files,
        resolutionLink: { partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID, recipient: email },
        connection,
        paymentLinks: [{ code, update }],
      },
    });
  }
  return { principal, merchants };
}


async function writeMerchantFiles(filesRoot: string, accountID: string): Promise<{ fileName: string; contentSHA256: string }[]> {
  const dir = path.join(filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  return Promise.all(
    FILES.map(async ({ name }) => {
      // Trailing bytes keep the type's signature at the start, which is what Moov's type check reads.
      const bytes = Buffer.concat([SAMPLE_FILES[name]!, Buffer.from(`\n% account ${accountID}\n`)]);
      await writeFile(path.join(dir, name), bytes);
      return { fileName: name, contentSHA256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}
