import { chooseCatalogDocuments, parseDocumentCatalog, type AutoFilesPlan, type PlanAutoFilesInput } from '../domain/document-catalog';
import type { MoovClient } from '../moov';
import type { DocumentSource, InspectedDocument } from './documents/document-source';
import { matchExisting } from './file-activities';
import { invalidInput, moovCall } from './moov-failure';

export interface CatalogActivityDeps {
  moov: MoovClient;
  documents: DocumentSource;
}

/**
 * `files: "auto"`: which of the platform's documents the account's open requirements call for.
 * Reads only (the catalog, Moov's capabilities and file list, the documents' bytes for their
 * hashes), so a retry repeats nothing; the uploads themselves go through the usual plan.
 */
export function createCatalogActivities({ moov, documents }: CatalogActivityDeps) {
  return {
    async planAutoFiles({ accountID, select }: PlanAutoFilesInput): Promise<AutoFilesPlan> {
      // The catalog first: a broken one is refused before any Moov call.
      const text = await documents.readCatalog(accountID);
      let catalog;
      if (text !== undefined) {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (err) {
          throw invalidInput(`catalog.json of account ${accountID} is not JSON (${(err as Error).message})`);
        }
        const parsed = parseDocumentCatalog(raw);
        if (!parsed.ok) throw invalidInput(`${parsed.message} (account ${accountID})`);
        catalog = parsed.catalog;
      }
      const { data: capabilities, requestId } = await moovCall(() => moov.listCapabilities(accountID));
      const open = {
        errors: capabilities.flatMap((cap) =>
          (cap.requirements?.errors ?? []).map((error) => ({ capability: cap.capability, requirement: error.requirement, ...(error.errorCode !== undefined && { errorCode: error.errorCode }) })),
        ),
        currentlyDue: capabilities.flatMap((cap) => (cap.requirements?.currentlyDue ?? []).map((requirement) => ({ capability: cap.capability, requirement }))),
      };
      const choice = chooseCatalogDocuments(open, catalog ?? { documents: [] }, select);
      if (choice.files.length === 0) return { ...choice, catalog: catalog ? 'found' : 'none', ...(requestId !== undefined && { requestId }) };

      // Bytes Moov already rejected for this purpose and requirement cannot cover it: those go to the link.
      const inspected: InspectedDocument[] = [];
      for (const file of choice.files) inspected.push(await documents.inspect(accountID, file));
      const { data: existing } = await moovCall(() => moov.listFiles(accountID));
      const rejected = new Set(choice.files.filter((file, index) => matchExisting(existing, file, inspected[index]!).kind === 'rejected').map((file) => file.path));
      return {
        files: choice.files.filter((file) => !rejected.has(file.path)),
        coverage: choice.coverage.map((entry) =>
          entry.path !== undefined && rejected.has(entry.path)
            ? { ...entry, coveredBy: 'link' as const, note: `Moov rejected ${entry.path} (these exact bytes) before` }
            : entry,
        ),
        catalog: 'found',
        ...(requestId !== undefined && { requestId }),
      };
    },
  };
}
