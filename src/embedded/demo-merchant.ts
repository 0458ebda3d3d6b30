import type { RemediationStatus } from '../domain/remediation-status';

async function patch(sandboxUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox admin PATCH ${path} answered ${response.status}: ${await response.text()}`);
}

/**
 * Plays the parts outside our control so the demo can end: Moov's reviewers approve the uploaded
 * documents and the merchant completes the resolution link, which clears the requirement errors.
 * In production these happen over days; the workflow notices on its next check either way.
 */
export async function simulateMerchantAndReview(sandboxUrl: string, status: RemediationStatus): Promise<string[]> {
  const done: string[] = [];
  const accountPath = `/accounts/${status.accountID}`;
  for (const file of status.files) {
    if (!file.fileID) continue;
    await patch(sandboxUrl, `${accountPath}/files/${file.fileID}`, { fileStatus: 'approved' });
    done.push(`approved ${file.fileName ?? file.path}`);
  }
  if (status.resolutionLink) {
    await patch(sandboxUrl, `${accountPath}/resolution-links/${status.resolutionLink.code}`, { status: 'completed' });
    done.push(`merchant completed link ${status.resolutionLink.code}`);
  }
  await patch(sandboxUrl, `${accountPath}/capabilities/collect-funds`, { status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
  done.push('collect-funds enabled, no requirement errors');
  return done;
}
