import { z } from 'zod';
import { MAX_FILE_NAME_LENGTH, filePurposeSchema } from './moov-requests/files';
import type { RequirementSelection } from './open-requirements';
import type { FileToUpload } from './remediation-input';
import { formatIssues } from './validation';

/**
 * The documents a platform holds for one merchant: `catalog.json` beside them, in the account's own
 * folder or prefix (FILES_ROOT/<accountID>/catalog.json, s3://bucket/prefix/<accountID>/catalog.json).
 * A manifest rather than object metadata: one read gives the whole catalog for either kind of
 * store, and S3 metadata cannot be listed without a HEAD per object. Each document is listed once,
 * with its purpose and the Moov requirement IDs it satisfies (docs.moov.io/guides/accounts/capabilities/).
 */
export const CATALOG_FILE_NAME = 'catalog.json';
/** A catalog is a list of references; anything bigger is not one. */
export const MAX_CATALOG_BYTES = 1024 * 1024;

const catalogDocumentSchema = z.strictObject({
  /** Relative to the account's folder or prefix, as a `files` entry's path. */
  path: z.string().min(1, 'must not be empty'),
  filePurpose: filePurposeSchema,
  /** Moov requirement IDs, e.g. document.business.verification. */
  satisfies: z.array(z.string().min(1)).min(1, 'must name at least one Moov requirement'),
  fileName: z.string().min(1).max(MAX_FILE_NAME_LENGTH).optional(),
  /** For representative documents: Moov's representative_id metadata. */
  representativeID: z.string().min(1).optional(),
});
export type CatalogDocument = z.infer<typeof catalogDocumentSchema>;

export const documentCatalogSchema = z
  .strictObject({ documents: z.array(catalogDocumentSchema) })
  .superRefine((catalog, ctx) => {
    const seen = new Map<string, number>();
    catalog.documents.forEach((document, index) => {
      const first = seen.get(document.path);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['documents', index, 'path'], message: `lists ${document.path} again (first at documents.${first}): each document once` });
      else seen.set(document.path, index);
    });
  });
export type DocumentCatalog = z.infer<typeof documentCatalogSchema>;

export type ParsedCatalog = { ok: true; catalog: DocumentCatalog } | { ok: false; message: string };

export function parseDocumentCatalog(raw: unknown): ParsedCatalog {
  const result = documentCatalogSchema.safeParse(raw);
  return result.success ? { ok: true, catalog: result.data } : { ok: false, message: `Invalid ${CATALOG_FILE_NAME}: ${formatIssues(result.error)}` };
}

/** One open requirement, and how the remediation covers it. */
export interface RequirementCoverage {
  capability: string;
  requirement: string;
  kind: 'error' | 'due';
  errorCode?: string;
  /** `document`: the catalog's document at `path` is uploaded (or already at Moov); `link`: left to the resolution link. */
  coveredBy: 'document' | 'link';
  path?: string;
  /** Why a requirement a document was listed for still goes to the link (Moov rejected those bytes). */
  note?: string;
}

export interface OpenRequirementsWithCodes {
  errors: readonly { capability: string; requirement: string; errorCode?: string }[];
  currentlyDue: readonly { capability: string; requirement: string }[];
}

export interface CatalogChoice {
  /** Each chosen document once, as a `files` entry (its requirement_id the first open one it satisfies). */
  files: FileToUpload[];
  coverage: RequirementCoverage[];
}

/**
 * The catalog's documents that satisfy the selected open requirements (errors, items currently
 * due), each once; every open requirement is covered by a document or left to the link.
 * Deterministic (catalog order, then Moov's), so a retry or a replay chooses the same.
 */
export function chooseCatalogDocuments(open: OpenRequirementsWithCodes, catalog: DocumentCatalog, select: RequirementSelection = {}): CatalogChoice {
  const requirements = [
    ...(select.requirementErrors ?? true ? open.errors.map((e) => ({ ...e, kind: 'error' as const })) : []),
    ...(select.currentlyDue ?? true ? open.currentlyDue.map((d) => ({ ...d, kind: 'due' as const })) : []),
  ];
  const chosen = new Map<string, FileToUpload>();
  const coverage = requirements.map((requirement): RequirementCoverage => {
    const base = { capability: requirement.capability, requirement: requirement.requirement, kind: requirement.kind, ...('errorCode' in requirement && requirement.errorCode !== undefined && { errorCode: requirement.errorCode }) };
    const document = catalog.documents.find((candidate) => candidate.satisfies.includes(requirement.requirement));
    if (!document) return { ...base, coveredBy: 'link' };
    if (!chosen.has(document.path)) {
      chosen.set(document.path, {
        path: document.path,
        filePurpose: document.filePurpose,
        ...(document.fileName !== undefined && { fileName: document.fileName }),
        metadata: {
          requirement_id: requirement.requirement,
          ...(base.errorCode !== undefined && { error_code: base.errorCode }),
          ...(document.representativeID !== undefined && { representative_id: document.representativeID }),
        },
      });
    }
    return { ...base, coveredBy: 'document', path: document.path };
  });
  return { files: [...chosen.values()], coverage };
}

/** The planAutoFiles activity's input and answer (src/activities/catalog-activities.ts). */
export interface PlanAutoFilesInput {
  accountID: string;
  select?: RequirementSelection;
}

export interface AutoFilesPlan extends CatalogChoice {
  /** Whether the account has a catalog.json at all (without one, every requirement goes to the link). */
  catalog: 'found' | 'none';
  requestId?: string;
}
