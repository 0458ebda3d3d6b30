// Workflow interceptor for the replay test: hands every search-attribute upsert the workflow
// code issues to the `upserts` sink, also while replaying. The SDK compares an upsert's command
// with the recorded event by kind only, not by content, so a replay alone cannot tell whether the
// code upserts what a history recorded; this shows it.
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface UpsertSinks extends Sinks {
  upserts: {
    /** One upsert command: each attribute's name and its payload's data (JSON). */
    record(fields: [string, Uint8Array][]): void;
  };
}

const { upserts } = proxySinks<UpsertSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        for (const command of input.commands) {
          const fields = command.upsertWorkflowSearchAttributes?.searchAttributes?.indexedFields;
          if (fields) upserts.record(Object.entries(fields).map(([name, payload]) => [name, payload.data ?? new Uint8Array()]));
        }
        return next(input);
      },
    },
  ],
});
