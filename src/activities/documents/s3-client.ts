import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  /** DOCUMENTS_S3_ENDPOINT: an S3-compatible store (MinIO, R2, a test server); unset: AWS itself. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible stores need. Default: on with an endpoint. */
  forcePathStyle?: boolean;
  /** Default: the SDK's own chain (AWS_REGION, the profile). */
  region?: string;
}

/**
 * The S3 client for documents. Credentials come from the SDK's standard chain (environment, shared
 * files, web identity, container and instance roles: docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html),
 * never from workflow input. One attempt per call: Temporal's retry policy is the one owner of
 * retries, as for Moov (docs/remediation.md, "Retries").
 */
export function createDocumentsS3Client(settings: S3ClientSettings = {}): S3Client {
  return new S3Client({
    maxAttempts: 1,
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
    forcePathStyle: settings.forcePathStyle ?? settings.endpoint !== undefined,
  });
}
