import type { MoovClient, MoovResponse } from '../../../src/moov';

/** The MoovClient methods that make one Moov call: what the activities use of it. */
type CallName = { [K in keyof MoovClient]: MoovClient[K] extends (...args: never[]) => Promise<MoovResponse<unknown>> ? K : never }[keyof MoovClient];
export type MoovCalls = Pick<MoovClient, CallName>;

export interface StubMoov {
  /** Pass as the activities' `moov` dependency. */
  moov: MoovClient;
  /** Every call the activity made, in order: method name and arguments. */
  calls: { method: CallName; args: unknown[] }[];
}

/**
 * A stand-in for our own Moov client (not for undici or the wire): each stubbed method answers
 * as the test says, and any call the test did not expect fails it. Answers are real
 * MoovResponses; failures should be real MoovErrors (src/moov/errors.ts builds them).
 */
export function stubMoov(answers: Partial<MoovCalls>, longestRequestMs = 30_000): StubMoov {
  const calls: StubMoov['calls'] = [];
  const stub = new Proxy(
    { longestRequestMs },
    {
      get(target, property) {
        if (property in target) return target[property as keyof typeof target];
        if (typeof property !== 'string') return undefined;
        return (...args: unknown[]) => {
          calls.push({ method: property as CallName, args });
          const answer = answers[property as CallName] as ((...a: unknown[]) => Promise<unknown>) | undefined;
          if (!answer) throw new Error(`stub Moov client: unexpected call ${property}(${JSON.stringify(args)})`);
          return answer(...args);
        };
      },
    },
  );
  // MoovClient is a class with private fields, so no plain object satisfies its type; the Pick
  // above checks every stubbed method's signature against the real one.
  return { moov: stub as unknown as MoovClient, calls };
}

/** A 2xx answer as MoovClient returns it. */
export function ok<T>(data: T, requestId = 'req-ok', status = 200): Promise<MoovResponse<T>> {
  return Promise.resolve({ data, status, requestId });
}
