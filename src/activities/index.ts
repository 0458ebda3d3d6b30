import type { RemediationActivities } from '../domain/remediation-activities';
import type { MoovClient } from '../moov';
import type { DocumentSource } from './documents/document-source';
import type { FilesLayout } from './files-layout';
import { createAccountActivities } from './account-activities';
import { createConnectionActivities } from './connection-activities';
import { createCatalogActivities } from './catalog-activities';
import { localFolderSource } from './documents/local-folder';
import { createFileActivities } from './file-activities';
import { createPaymentLinkActivities } from './payment-link-activities';
import { createRemediationHistoryActivities } from './remediation-history-activities';
import { createResolutionLinkActivities } from './resolution-link-activities';

export interface ActivityDeps {
  moov: MoovClient;
  /** Uploads read files only from below this folder (the local document source). */
  filesRoot?: string;
  /** Where documents are read from instead of FILES_ROOT: object storage (./documents/s3-bucket.ts). */
  documents?: DocumentSource;
  /** MOOV_PARTNER_ACCOUNT_ID: recognises our own resolution links across runs. */
  partnerAccountID?: string;
  /** Default `per-account`: FILES_ROOT/<accountID>/ (see ./files-layout). */
  filesLayout?: FilesLayout;
}

/**
 * Every remediation activity, bound to one Moov client (the worker owns its lifecycle). The
 * return type is the workflows' view of them (src/domain/remediation-activities.ts); the check
 * below keeps the two from drifting apart in either direction.
 */
export function createActivities(deps: ActivityDeps): RemediationActivities {
  if (!deps.documents && deps.filesRoot === undefined) throw new Error('createActivities: give a document source or FILES_ROOT');
  // One source for the uploads and the catalog: object storage (DOCUMENTS_URL) or the local folder.
  const documents = deps.documents ?? localFolderSource(deps.filesRoot!, deps.filesLayout);
  const activities = {
    ...createFileActivities({ ...deps, documents }),
    ...createCatalogActivities({ moov: deps.moov, documents }),
    ...createResolutionLinkActivities(deps),
    ...createConnectionActivities(deps),
    ...createPaymentLinkActivities(deps),
    ...createAccountActivities(deps),
    ...createRemediationHistoryActivities(),
  };
  return activities satisfies Record<keyof RemediationActivities, unknown> & Record<Exclude<keyof typeof activities, keyof RemediationActivities>, never>;
}

export type { RemediationActivities };
