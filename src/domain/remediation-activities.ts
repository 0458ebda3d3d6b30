import type {
  AccountRef,
  ConnectedAccount,
  ConnectedAccountsPage,
  CreateResolutionLinkInput,
  CreateResolutionLinkOutcome,
  DisableLinkResult,
  FileReviews,
  FileReviewsInput,
  FileUploadPlan,
  LastRemediation,
  LinkLookup,
  ListConnectedAccountsInput,
  PlanFileUploadsInput,
  RequirementsSummary,
  ResolutionLinkRef,
  ShareConnectionActivityInput,
  ShareConnectionResult,
  UpdatedPaymentLink,
  UpdatePaymentLinkInput,
  UploadedFile,
  UploadFileInput,
} from './activity-contracts';
import type { AutoFilesPlan, PlanAutoFilesInput } from './document-catalog';

/**
 * Every activity the workflows call, by name: what `proxyActivities<RemediationActivities>()`
 * types its calls with. Declared here rather than derived from src/activities, so that workflow
 * code depends only on src/domain (docs.temporal.io/develop/typescript/core-application: the
 * workflow sees only the activities' types). `createActivities` (src/activities) is checked against
 * it by the compiler.
 */
export interface RemediationActivities {
  planFileUploads(input: PlanFileUploadsInput): Promise<FileUploadPlan>;
  planAutoFiles(input: PlanAutoFilesInput): Promise<AutoFilesPlan>;
  uploadFile(input: UploadFileInput): Promise<UploadedFile>;
  createResolutionLink(input: CreateResolutionLinkInput): Promise<CreateResolutionLinkOutcome>;
  getResolutionLink(input: ResolutionLinkRef): Promise<LinkLookup>;
  disableResolutionLink(input: ResolutionLinkRef): Promise<DisableLinkResult>;
  shareConnection(input: ShareConnectionActivityInput): Promise<ShareConnectionResult>;
  updatePaymentLink(input: UpdatePaymentLinkInput): Promise<UpdatedPaymentLink>;
  readRequirements(input: AccountRef): Promise<RequirementsSummary>;
  checkFileReviews(input: FileReviewsInput): Promise<FileReviews>;
  listConnectedAccounts(input: ListConnectedAccountsInput): Promise<ConnectedAccountsPage>;
  readAccount(input: AccountRef): Promise<ConnectedAccount>;
  lastRemediation(input: AccountRef): Promise<LastRemediation>;
}
