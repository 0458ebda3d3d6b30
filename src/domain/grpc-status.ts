/** gRPC's status for a method the server does not have (grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const GRPC_UNIMPLEMENTED = 12;

/**
 * Whether a Temporal call failed because the server lacks the method (the time-skipping test
 * server has no visibility, older servers no update-with-start): the gRPC error itself, or the
 * cause of the client's ServiceError around it. Read by shape (a gRPC ServiceError is an Error
 * with a numeric `code` and `details`), so every layer may use it.
 */
export function isUnimplemented(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  return [err, cause].some((e) => e instanceof Error && 'details' in e && (e as { code?: unknown }).code === GRPC_UNIMPLEMENTED);
}
