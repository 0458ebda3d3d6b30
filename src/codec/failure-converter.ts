import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath) in the worker, its workflow sandbox and the
 * client when encryption is on: failure messages and stack traces move into an encoded payload, so
 * the codec encrypts them too (a Moov error message or a file path can carry merchant data).
 * Workflow-safe: imports only @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
