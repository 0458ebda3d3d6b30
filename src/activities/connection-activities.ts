import { Context } from '@temporalio/activity';
import type { ShareConnectionActivityInput, ShareConnectionResult } from '../domain/activity-contracts';
import type { MoovClient } from '../moov';
import { moovCallAnswering } from './moov-failure';

export function createConnectionActivities({ moov }: { moov: MoovClient }) {
  return {
    /**
     * Safe to repeat: a second share answers 409. A 409 means this principal already has a
     * connection, but Moov does not let a partner read which scopes it grants (see
     * src/domain/connection-outcome.ts), so the outcome says the scopes are unverified.
     */
    async shareConnection({ accountID, connection }: ShareConnectionActivityInput): Promise<ShareConnectionResult> {
      return moovCallAnswering<ShareConnectionResult>(
        'shareConnection',
        async () => {
          const { requestId } = await moov.shareConnection(accountID, connection);
          Context.current().log.info('connection shared', { accountID, requestId });
          return { outcome: 'shared', ...(requestId !== undefined && { requestId }) };
        },
        (err) => {
          Context.current().log.warn('connection already exists; its scopes cannot be read at Moov, so they are unverified', { accountID, requestId: err.requestId });
          return {
            outcome: 'already-connected-scopes-unverified',
            ...(err.moovMessage !== undefined && { moovMessage: err.moovMessage }),
            ...(err.requestId !== undefined && { requestId: err.requestId }),
          };
        },
      );
    },
  };
}
