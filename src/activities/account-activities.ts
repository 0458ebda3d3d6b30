import type {
  AccountRef,
  ConnectedAccount,
  ConnectedAccountsPage,
  FileReviews,
  FileReviewsInput,
  ListConnectedAccountsInput,
  RequirementsSummary,
} from '../domain/activity-contracts';
import type { Account, MoovClient } from '../moov';
import { moovCall } from './moov-failure';

export function createAccountActivities({ moov }: { moov: MoovClient }) {
  return {
    /** Requirement errors and currently-due items across the account's capabilities. */
    async readRequirements({ accountID }: AccountRef): Promise<RequirementsSummary> {
      const { data, requestId } = await moovCall(() => moov.listCapabilities(accountID));
      return {
        errors: data.flatMap((cap) =>
          (cap.requirements?.errors ?? []).map((error) => ({
            capability: cap.capability,
            requirement: error.requirement,
            ...(error.errorCode !== undefined && { errorCode: error.errorCode }),
          })),
        ),
        currentlyDue: data.flatMap((cap) => (cap.requirements?.currentlyDue ?? []).map((requirement) => ({ capability: cap.capability, requirement }))),
        capabilities: data.map((cap) => ({ capability: cap.capability, status: cap.status })),
        ...(requestId !== undefined && { requestId }),
      };
    },

    /** Moov's review of files we uploaded (pending, approved, rejected with a reason). */
    async checkFileReviews({ accountID, fileIDs }: FileReviewsInput): Promise<FileReviews> {
      const { data, requestId } = await moovCall(() => moov.listFiles(accountID));
      const wanted = new Set(fileIDs);
      return {
        files: data
          .filter((file) => wanted.has(file.fileID))
          .map((file) => ({
            fileID: file.fileID,
            fileStatus: file.fileStatus,
            ...(typeof file.decisionReason === 'string' && { decisionReason: file.decisionReason }),
          })),
        ...(requestId !== undefined && { requestId }),
      };
    },

    /** One page of the partner's connected accounts, reduced to what a sweep needs. */
    async listConnectedAccounts({ skip, count, capability, capabilityStatus }: ListConnectedAccountsInput): Promise<ConnectedAccountsPage> {
      const { data, requestId } = await moovCall(() =>
        moov.listAccounts({
          skip,
          count,
          ...(capability !== undefined && { capability }),
          ...(capabilityStatus !== undefined && { capabilityStatus }),
        }),
      );
      return { accounts: data.map(toConnectedAccount), ...(requestId !== undefined && { requestId }) };
    },

    /** One account's profile, reduced as a sweep's page reduces it (an account event's triage reads this). */
    async readAccount({ accountID }: AccountRef): Promise<ConnectedAccount> {
      const { data } = await moovCall(() => moov.getAccount(accountID));
      return toConnectedAccount(data);
    },
  };
}

function toConnectedAccount(account: Account): ConnectedAccount {
  const person = account.profile.individual ?? account.profile.business;
  const phone = person?.phone;
  return {
    accountID: account.accountID,
    displayName: account.displayName,
    ...(person?.email && { email: person.email }),
    ...(phone?.number && { phone: { number: phone.number, ...(phone.countryCode && { countryCode: phone.countryCode }) } }),
  };
}
