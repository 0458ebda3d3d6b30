import { z } from 'zod';

/**
 * Which of Moov's open requirements count (docs.moov.io/guides/accounts/capabilities/): a
 * capability's requirement `errors` and its `currentlyDue` items. A sweep selects accounts with
 * them, and the remediation it starts is resolved only when the same ones are gone: one
 * definition for both, so a remediation never ends "resolved" while the next sweep would select
 * the account again.
 */
export const requirementSelectionSchema = z
  .strictObject({
    requirementErrors: z.boolean().optional(),
    currentlyDue: z.boolean().optional(),
  })
  .refine((select) => select.requirementErrors !== false || select.currentlyDue !== false, 'must count requirement errors, items currently due, or both');
export type RequirementSelection = z.infer<typeof requirementSelectionSchema>;

/** What Moov still wants, as `readRequirements` reports it (RequirementsSummary in ./activity-contracts). */
export interface OpenRequirementLists {
  errors: readonly { capability: string; requirement: string }[];
  currentlyDue: readonly { capability: string; requirement: string }[];
}

/** One line per open requirement that the selection counts (both kinds by default). */
export function openRequirements(requirements: OpenRequirementLists, select: RequirementSelection = {}): string[] {
  return [
    ...(select.requirementErrors ?? true ? requirements.errors.map((e) => `error: ${e.capability}: ${e.requirement}`) : []),
    ...(select.currentlyDue ?? true ? requirements.currentlyDue.map((d) => `due: ${d.capability}: ${d.requirement}`) : []),
  ];
}
