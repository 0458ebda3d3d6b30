import { z } from 'zod';
import { newUUID } from './ids';

/** The longest a fault may hold a request or a write (the request log and tests must see the end). */
export const MAX_HOLD_MS = 600_000;

/**
 * What the client gets from an `applyLate` fault: the connection reset, a gateway's 504, or no
 * answer at all until the client itself gives up (its own timeout closes the connection).
 */
export const APPLY_LATE_ANSWERS = ['reset', 'status-504', 'hang'] as const;

/** Each decides what the request's outcome is, so a fault sets at most one of them. */
const OUTCOME_FIELDS = ['status', 'reset', 'applyThenFail', 'slowAnswerMs', 'applyLate'] as const;

export const faultSchema = z
  .object({
    status: z.number().int().min(100).max(599).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    reset: z.boolean().optional(),
    applyThenFail: z.enum(['status-500', 'reset']).optional(),
    /** Moov reads the whole request, then takes this long before it acts and answers (a slow Moov). */
    slowAnswerMs: z.number().int().min(1).max(MAX_HOLD_MS).optional(),
    /** The client is answered (or gives up) first; Moov applies the write `afterMs` after that. */
    applyLate: z
      .object({ afterMs: z.number().int().min(0).max(MAX_HOLD_MS), answer: z.enum(APPLY_LATE_ANSWERS) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((f) => OUTCOME_FIELDS.filter((field) => f[field] !== undefined && f[field] !== false).length <= 1, {
    message: `a fault sets at most one of ${OUTCOME_FIELDS.join(', ')}`,
  });
export type Fault = z.infer<typeof faultSchema>;

export const faultRuleInputSchema = z
  .object({
    route: z.string().min(1),
    accountID: z.string().min(1).optional(),
    sequence: z.array(faultSchema).min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    fault: faultSchema.optional(),
    /** A mix: when the rule fires, one of these is picked at random (chaos runs). */
    faults: z.array(faultSchema).min(1).optional(),
    times: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((r) => [r.sequence, r.fault, r.faults].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of sequence, fault or faults',
  })
  .refine((r) => r.sequence === undefined || (r.probability === undefined && r.times === undefined), {
    message: 'probability and times apply to fault, not to sequence',
  });
export type FaultRuleInput = z.infer<typeof faultRuleInputSchema>;

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** How many requests this rule has shaped so far. */
  applied: number;
  /** The same, split by kind of fault (e.g. `status-429`, `reset`, `apply-then-fail:reset`). */
  appliedByKind: Record<string, number>;
}

/** A short label for reports: what the client experienced. */
export function faultKind(fault: Fault): string {
  if (fault.applyThenFail) return `apply-then-fail:${fault.applyThenFail}`;
  if (fault.applyLate) return `apply-late:${fault.applyLate.answer}`;
  if (fault.slowAnswerMs !== undefined) return 'slow-answer';
  if (fault.reset) return 'reset';
  if (fault.status !== undefined) return `status-${fault.status}`;
  if (fault.latencyMs !== undefined) return 'latency';
  return 'none';
}

export interface FaultMatch {
  ruleId: string;
  fault: Fault;
}

/** Matches every Moov route when used as a rule's `route`. */
export const ANY_ROUTE = '*';

/**
 * Injected failures for Moov routes. Rules are checked in insertion order; the first matching rule
 * that is not spent decides the request (a probability rule whose roll fails lets it through
 * untouched rather than deferring to later rules, so outcomes stay easy to reason about).
 */
export class FaultStore {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...input, id: newUUID(), applied: 0, appliedByKind: {} };
    this.rules.push(rule);
    return rule;
  }

  list(): (FaultRule & { spent: boolean })[] {
    return this.rules.map((r) => ({ ...structuredClone(r), spent: isSpent(r) }));
  }

  clear(): void {
    this.rules = [];
  }

  take(route: string, accountID: string | null): FaultMatch | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.route === route || r.route === ANY_ROUTE) &&
        (r.accountID === undefined || r.accountID === accountID) &&
        !isSpent(r),
    );
    if (!rule) return undefined;
    let fault: Fault | undefined;
    if (rule.sequence) {
      fault = rule.sequence[rule.applied];
    } else {
      const choices = rule.faults ?? (rule.fault ? [rule.fault] : []);
      if (choices.length === 0 || this.random() >= (rule.probability ?? 1)) return undefined;
      fault = choices[Math.floor(this.random() * choices.length)];
    }
    rule.applied += 1;
    if (!fault) return undefined;
    const kind = faultKind(fault);
    rule.appliedByKind[kind] = (rule.appliedByKind[kind] ?? 0) + 1;
    return { ruleId: rule.id, fault };
  }
}

function isSpent(rule: FaultRule): boolean {
  if (rule.sequence) return rule.applied >= rule.sequence.length;
  return rule.times !== undefined && rule.applied >= rule.times;
}
