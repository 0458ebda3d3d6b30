import type { RequirementCoverage } from '../domain/document-catalog';
import type { RequirementSelection } from '../domain/open-requirements';
import { uploadRequiredFiles } from './file-upload-step';
import type { StepContext } from './step-context';

/**
 * `files: "auto"`: one activity reads the account's open requirements and the platform's catalog
 * and chooses the documents that satisfy them (src/activities/catalog-activities.ts); they then go
 * through the usual upload plan, which finds those already at Moov by content. The status records
 * how each requirement is covered; those no document fits are left to the resolution link.
 */
export async function uploadCatalogFiles(ctx: StepContext, select: RequirementSelection | undefined): Promise<RequirementCoverage[]> {
  ctx.tracker.setPhase('uploading-files');
  const plan = await ctx.activities.planAutoFiles({ accountID: ctx.accountID, ...(select && { select }) });
  ctx.tracker.requirementsCovered(plan.coverage);
  if (plan.files.length > 0) await uploadRequiredFiles(ctx, plan.files);
  return plan.coverage;
}
