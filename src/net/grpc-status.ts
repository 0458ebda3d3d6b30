import { isGrpcServiceError } from '@temporalio/client';

/** gRPC's status for a method the server does not have (grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const GRPC_UNIMPLEMENTED = 12;

/**
 * Whether a Temporal call failed because the server lacks the method (the time-skipping test
 * server has no visibility, older servers no update-with-start): the gRPC error itself, or the
 * cause of the client's ServiceError around it.
 */
export function isUnimplemented(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  return [err, cause].some((e) => isGrpcServiceError(e) && e.code === GRPC_UNIMPLEMENTED);
}
