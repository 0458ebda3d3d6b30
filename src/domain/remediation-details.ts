import { AUTO_FILES, listedFiles, type RemediationInput } from './remediation-input';

/**
 * What the Temporal UI shows under a remediation's summary (its static details, Markdown): the
 * account and the steps it was started with. Never a recipient's contact. Workflow-safe, so a
 * sweep or a triage starting one as a child says the same.
 */
export function remediationDetails(input: RemediationInput): string {
  const steps = [
    ...(input.files === AUTO_FILES ? ["upload the catalog's documents that satisfy the open requirements (files: auto)"] : []),
    ...(listedFiles(input.files).length ? [`upload ${listedFiles(input.files).length} file(s): ${listedFiles(input.files).map((f) => f.fileName ?? f.path.split('/').at(-1)).join(', ')}`] : []),
    ...(input.connection ? [`share the connection with ${input.connection.principalAccountID}`] : []),
    ...(input.paymentLinks?.length ? [`update payment link(s) ${input.paymentLinks.map((l) => l.code).join(', ')}`] : []),
    ...(input.resolutionLink ? [`send the merchant a resolution link (${input.resolutionLink.recipient.email !== undefined ? 'email' : 'phone'})`] : []),
  ];
  return [`**Account** ${input.accountID}`, '', '**Steps**', ...steps.map((step) => `- ${step}`), '', 'Work added later (addWork) appears in the status query.'].join('\n');
}
