// The workflow bundle's entry point: every workflow type the worker registers.
export { merchantRemediation } from './merchant-remediation';
export { remediationSweep } from './remediation-sweep';
export { accountEventTriage } from './account-event-triage';
