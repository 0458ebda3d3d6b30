/**
 * Every `patched()` id in the workflow code, one table (docs/deploying.md lists what each guards).
 * An id is never reused; runs recorded before a patch replay the code path it replaced.
 */
export const PATCHES = {
  /** The connection and payment links before the resolution link (was: files → link → connection → payment links). */
  linkStepLast: 'link-step-last',
  /** A link with our partnerAccountID and recipient is ours whenever it was created (was: only since the run started). */
  ownLinkByPartner: 'own-link-by-partner',
  /** The link wait ends only on Moov's word, gives up first, and is paced (was: our clock's expiry ended it). */
  linkWaitTrustsMoov: 'link-wait-trusts-moov',
  /** A wait hint longer than the step's retry budget becomes a durable timer (was: the step failed). */
  durableWaitHint: 'durable-wait-hint',
  /** Follow-through ends resolved only when the selected requirements (errors and due items) are gone (was: no errors). */
  resolvedMeansNothingOpen: 'resolved-means-nothing-open',
  /** A markResolved accepted during a follow-through check is acted on before any write (was: at the next wait). */
  operatorDecisionFirst: 'operator-decision-first',
  /**
   * remediationSweep: reads until an empty page (was: until a short one), bounds each run's events,
   * skips accounts Moov refuses (was: the sweep failed) and accounts whose remediation closed
   * within the cooldown (a new activity), and honours maxStartsPerRun.
   */
  sweepFleetSafe: 'sweep-fleet-safe',
  /** Follow-through continues as new every FOLLOW_THROUGH_EVENTS_PER_RUN events, carrying its state (was: one run, unbounded). */
  followThroughContinuesAsNew: 'follow-through-continues-as-new',
  /** The link wait and follow-through wake on Moov's webhooks (moovChanged) and on added work (was: only an operator's request woke them). */
  remediationsListen: 'remediations-listen',
  /** Follow-through's default poll is a 24-hour safety net behind the webhooks (was: 6 hours). */
  pollIsSafetyNet: 'poll-is-safety-net',
  /** Every RemediationPhase upsert also sets RemediationPhaseChangedAt to the workflow's time (was: the phase alone). */
  phaseChangedAt: 'phase-changed-at',
  /** A call that finds Moov down parks on durable timers until Moov answers or maxOutageWait is spent (was: it failed after stepRetryTimeout). */
  outageParks: 'outage-parks',
  /** `files: "auto"`: the catalog's documents for the open requirements are planned by a new activity, planAutoFiles (inputs before it could not say "auto"). */
  autoFiles: 'auto-files',
} as const;
