import { ApplicationFailure, condition, patched } from '@temporalio/workflow';
import { isSameRecipient, type ResolutionLinkView } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import { effectiveLinkStatus } from '../domain/resolution-link-status';
import type { Recipient } from '../domain/remediation-input';
import type { ActiveLinkWait } from '../domain/remediation-status';
import type { ReplaceRequest } from './operator-requests';
import type { ResolvedOptions } from './options';
import { PATCHES } from './patches';
import type { StepContext } from './step-context';

/** Moov's clock and Temporal's differ a little; a link created this long before our start still counts as ours. */
const CLOCK_SKEW_ALLOWANCE_MS = 2 * 60 * 1000;

/**
 * The least time between two looks at Moov while a link blocks the step, whatever the options or
 * the clocks say. One look costs at most three calls (a GET; or a create answered 409 plus the
 * list), so the step never makes more than 60 Moov calls per hour of waiting.
 */
export const MIN_LINK_CHECK_GAP_MS = 3 * 60 * 1000;

/**
 * Past the link's expiry by our clock while Moov still calls it active (Moov's clock behind
 * ours): Moov decides when it has ended, so look again this often for the first
 * PAST_EXPIRY_FAST_WINDOW_MS (clocks drift by minutes), then at the poll interval.
 */
const PAST_EXPIRY_RECHECK_MS = 15 * 60 * 1000;
const PAST_EXPIRY_FAST_WINDOW_MS = 2 * 3600 * 1000;

/** When the step last called Moov about the link; the next look waits MIN_LINK_CHECK_GAP_MS after it. */
interface LookPace {
  lastLookAt: number;
}

/**
 * Creates the merchant's resolution link. Moov allows one active link per account, so a 409 is
 * either our own link (an earlier create whose answer was lost, or an earlier run's: adopt it at
 * once) or another party's link (wait durably for it to end, re-checking it, unless an operator
 * asks to replace it).
 */
export async function ensureResolutionLink(ctx: StepContext, recipient: Recipient): Promise<void> {
  const { activities, accountID, tracker } = ctx;
  let waitStartedAt: number | undefined;
  let pace: LookPace | undefined;
  for (;;) {
    tracker.setPhase('creating-link');
    const created = await activities.createResolutionLink({ accountID, recipient });
    if (created.outcome === 'created') {
      tracker.resolutionLinkSent({ ...linkProgress(created.link), outcome: 'created', requestId: created.requestId });
      return;
    }
    if (isOurOwnLink(created.link, recipient, ctx.startedAtMs)) {
      tracker.resolutionLinkSent({ ...linkProgress(created.link), outcome: 'adopted', requestId: created.requestId });
      return;
    }
    waitStartedAt ??= Date.now();
    if (pace) pace.lastLookAt = Date.now();
    else pace = { lastLookAt: Date.now() };
    const giveUpAt = waitStartedAt + ctx.options.maxActiveLinkWaitMs;
    const ending = await waitForActiveLinkToEnd(ctx, created.link, waitStartedAt, giveUpAt, pace);
    if (ending.kind === 'replace') {
      await activities.disableResolutionLink({ accountID, code: created.link.code });
      tracker.activeLinkDisabled(created.link.code);
      ctx.operator.settleReplace(ending.request, created.link.code);
    }
  }
}

function isOurOwnLink(link: ResolutionLinkView, recipient: Recipient, startedAtMs: number): boolean {
  if (!isSameRecipient(link.recipient, recipient)) return false;
  // Moov names the partner that created the link: ours, from any run, is adopted; another's never.
  if (link.fromThisPartner !== undefined && patched(PATCHES.ownLinkByPartner)) return link.fromThisPartner;
  // Without a known partner account: ours only if created since this run started.
  return Date.parse(link.createdOn) >= startedAtMs - CLOCK_SKEW_ALLOWANCE_MS;
}

type WaitEnding = { kind: 'ended' } | { kind: 'replace'; request: ReplaceRequest };

async function waitForActiveLinkToEnd(
  ctx: StepContext,
  activeLink: ResolutionLinkView,
  since: number,
  giveUpAt: number,
  pace: LookPace,
): Promise<WaitEnding> {
  const { activities, accountID, tracker, options } = ctx;
  const trustMoov = patched(PATCHES.linkWaitTrustsMoov);
  let link = activeLink;
  tracker.setPhase('waiting-for-active-link');
  for (;;) {
    const now = Date.now();
    if (trustMoov && now >= giveUpAt) throw activeLinkWaitExceeded(accountID, link, since);
    const until = Date.parse(link.expiresOn) + options.expiryMarginMs;
    const nextCheckAt = trustMoov
      ? Math.max(Math.min(until > now ? until : now + pastExpiryRecheckMs(now - until, options), now + options.activeLinkPollIntervalMs, giveUpAt), pace.lastLookAt + MIN_LINK_CHECK_GAP_MS)
      : // Before PATCHES.linkWaitTrustsMoov: past its expiry by our clock yet still active by Moov's, plain polling.
        Math.min(until > now ? until : Infinity, now + options.activeLinkPollIntervalMs, giveUpAt);
    const wait = {
      kind: 'active-link-expiry' as const,
      activeLinkCode: link.code,
      activeLinkExpiresOn: link.expiresOn,
      until: new Date(until).toISOString(),
      nextCheckAt: new Date(nextCheckAt).toISOString(),
      since: new Date(since).toISOString(),
      giveUpAt: new Date(giveUpAt).toISOString(),
    };
    tracker.waitingForActiveLink(wait);
    const summary = `wait for link ${link.code} to end (expires ${link.expiresOn})`;
    tracker.describeWait(
      `Waiting for active link ${link.code} to end (expires ${link.expiresOn}); next check ${wait.nextCheckAt}; ` +
        'send the replaceActiveLink update to replace it now',
    );
    const replaceAsked = await waitForNextLook(ctx, wait, nextCheckAt, pace, summary);
    const request = ctx.operator.pendingReplace();
    if (replaceAsked && request) return { kind: 'replace', request };

    const lookup = await activities.getResolutionLink({ accountID, code: link.code });
    pace.lastLookAt = Date.now();
    const requestAfterCheck = ctx.operator.pendingReplace();
    if (requestAfterCheck) return { kind: 'replace', request: requestAfterCheck };
    if (!lookup.link || effectiveLinkStatus(lookup.link, Date.now()) !== 'active') return { kind: 'ended' };
    link = lookup.link;
    if (!trustMoov) {
      if (Date.now() >= Date.parse(link.expiresOn) + options.expiryMarginMs) return { kind: 'ended' };
      if (Date.now() >= giveUpAt) throw activeLinkWaitExceeded(accountID, link, since);
    }
  }
}

/**
 * Waits until the next look at the link is due, or an operator asks to replace it (answers true).
 * Since PATCHES.remediationsListen, added work is done while the wait goes on, and Moov's webhook
 * brings the look forward, never closer than MIN_LINK_CHECK_GAP_MS to the previous one (Moov sends
 * no link events: an account event is only a hint that the merchant may have used the link).
 */
async function waitForNextLook(ctx: StepContext, wait: ActiveLinkWait, nextCheckAt: number, pace: LookPace, summary: string): Promise<boolean> {
  const { tracker, operator, inbox, news } = ctx;
  let lookAt = nextCheckAt;
  for (;;) {
    const listens = patched(PATCHES.remediationsListen);
    const woke = await condition(
      () => operator.pendingReplace() !== undefined || (listens && (inbox.hasPending() || news.hasUnread())),
      Math.max(lookAt - Date.now(), 1),
      { summary },
    );
    if (!woke || operator.pendingReplace()) return woke;
    if (inbox.hasPending()) {
      await ctx.doAddedWork();
      tracker.setPhase('waiting-for-active-link');
      tracker.waitingForActiveLink(wait);
    }
    if (news.hasUnread()) {
      const what = news.markRead();
      lookAt = Math.min(lookAt, Math.max(pace.lastLookAt + MIN_LINK_CHECK_GAP_MS, Date.now()));
      tracker.describeWait(`${what} arrived: looking at link ${wait.activeLinkCode} again at ${new Date(lookAt).toISOString()}`);
    }
    if (Date.now() >= lookAt) return false;
  }
}

function pastExpiryRecheckMs(pastExpiryMs: number, options: ResolvedOptions): number {
  return pastExpiryMs < PAST_EXPIRY_FAST_WINDOW_MS ? PAST_EXPIRY_RECHECK_MS : options.activeLinkPollIntervalMs;
}

function activeLinkWaitExceeded(accountID: string, link: ResolutionLinkView, since: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.ActiveLinkWaitExceeded,
    nonRetryable: true,
    message:
      `Another resolution link (${link.code}) is still active on account ${accountID} after waiting ` +
      `since ${new Date(since).toISOString()} (maxActiveLinkWait). Replace it with the replaceActiveLink ` +
      `update, or start the remediation again later.`,
  });
}

function linkProgress(link: ResolutionLinkView) {
  return { code: link.code, url: link.url, status: effectiveLinkStatus(link, Date.now()), createdOn: link.createdOn, expiresOn: link.expiresOn };
}
