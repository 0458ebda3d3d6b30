import { ApplicationFailure, Context } from '@temporalio/activity';
import type {
  CreateResolutionLinkInput,
  CreateResolutionLinkOutcome,
  DisableLinkResult,
  LinkLookup,
  ResolutionLinkRef,
  ResolutionLinkView,
} from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import type { MoovClient, ResolutionLink } from '../moov';
import { failureCategory, moovCall, moovCallAnswering } from './moov-failure';

/** A 409 with no active link listed, again: Moov is inconsistent for now; ask again in 3 minutes. */
const LINK_CONFLICT_RETRY_MS = 3 * 60 * 1000;

function newest(links: ResolutionLinkView[]): ResolutionLinkView | undefined {
  return [...links].sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn))[0];
}

export interface ResolutionLinkActivityDeps {
  moov: MoovClient;
  /** This worker's partner account at Moov (MOOV_PARTNER_ACCOUNT_ID): tells our own links from other partners'. */
  partnerAccountID?: string;
}

export function createResolutionLinkActivities({ moov, partnerAccountID }: ResolutionLinkActivityDeps) {
  const toView = (link: ResolutionLink): ResolutionLinkView => ({
    code: link.code,
    url: link.url,
    ...(link.status !== undefined && { status: link.status }),
    recipient: link.recipient,
    createdOn: link.createdOn,
    expiresOn: link.expiresOn,
    ...(link.disabledOn !== undefined && { disabledOn: link.disabledOn }),
    // Moov's IDs are UUIDs: compared case-insensitively, so an upper-case setting still matches.
    ...(partnerAccountID !== undefined && { fromThisPartner: link.partnerAccountID.toLowerCase() === partnerAccountID.toLowerCase() }),
  });
  return {
    /**
     * Creates the link. Moov allows one active link per account, so on 409 this returns the
     * active link and leaves the decision (adopt our own, wait for another's) to the workflow.
     */
    async createResolutionLink({ accountID, recipient }: CreateResolutionLinkInput): Promise<CreateResolutionLinkOutcome> {
      return moovCallAnswering<CreateResolutionLinkOutcome>(
        'createResolutionLink',
        async () => {
          const { data, requestId } = await moov.createResolutionLink(accountID, { recipient });
          Context.current().log.info('resolution link created', { accountID, code: data.code, requestId });
          return { outcome: 'created', link: toView(data), ...(requestId !== undefined && { requestId }) };
        },
        async (err) => {
          const { data: links } = await moovCall(() => moov.listResolutionLinks(accountID));
          const views = links.map(toView);
          // The 409 is Moov's word that a link is active: one listed without status counts while it
          // is not disabled, whatever its expiresOn says (Moov's clock may be behind ours).
          const active =
            newest(views.filter((link) => link.status === 'active')) ?? newest(views.filter((link) => link.status === undefined && link.disabledOn === undefined));
          if (!active) {
            // Retried soon once (the link ended in between), then paced like the wait's looks.
            const attempt = Context.current().info.attempt;
            throw ApplicationFailure.create({
              type: FailureType.LinkConflictRace,
              ...failureCategory(FailureType.LinkConflictRace),
              message: `Moov answered 409 for account ${accountID} but lists no active resolution link; it ended in between, so the create is retried`,
              details: [{ operation: err.operation, status: err.status, requestId: err.requestId }],
              ...(attempt > 1 && { nextRetryDelay: LINK_CONFLICT_RETRY_MS }),
            });
          }
          return { outcome: 'active-exists', link: active, ...(err.requestId !== undefined && { requestId: err.requestId }) };
        },
      );
    },

    /** A 404 means the link is gone, which is an answer, not a failure. */
    async getResolutionLink({ accountID, code }: ResolutionLinkRef): Promise<LinkLookup> {
      return moovCallAnswering<LinkLookup>(
        'getResolutionLink',
        async () => {
          const { data, requestId } = await moov.getResolutionLink(accountID, code);
          return { link: toView(data), ...(requestId !== undefined && { requestId }) };
        },
        (err) => ({ ...(err.requestId !== undefined && { requestId: err.requestId }) }),
      );
    },

    /**
     * Idempotent: a retry after a lost 204 meets 404 (or 409 for a link no longer active) and
     * reports the link already gone.
     */
    async disableResolutionLink({ accountID, code }: ResolutionLinkRef): Promise<DisableLinkResult> {
      return moovCallAnswering<DisableLinkResult>(
        'disableResolutionLink',
        async () => {
          const { requestId } = await moov.disableResolutionLink(accountID, code);
          Context.current().log.info('resolution link disabled', { accountID, code, requestId });
          return { outcome: 'disabled', ...(requestId !== undefined && { requestId }) };
        },
        (err) => ({ outcome: 'already-gone', ...(err.requestId !== undefined && { requestId: err.requestId }) }),
      );
    },
  };
}
