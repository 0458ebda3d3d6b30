import { Context } from '@temporalio/activity';
import type { ShareConnectionActivityInput, ShareConnectionResult } from '../domain/activity-contracts';
import { MoovError, type MoovClient } from '../moov';
import { toApplicationFailure } from './moov-failure';

export function createConnectionActivities({ moov }: { moov: MoovClient }) {
  return {
    /** A 409 means this principal already has the connection: the goal is met, so it is success. */
    async shareConnection({ accountID, connection }: ShareConnectionActivityInput): Promise<ShareConnectionResult> {
      try {
        const { requestId } = await moov.shareConnection(accountID, connection);
        Context.current().log.info('connection shared', { accountID, requestId });
        return { outcome: 'shared', ...(requestId !== undefined && { requestId }) };
      } catch (err) {
        if (err instanceof MoovError && err.errorClass === 'conflict') {
          return { outcome: 'already-shared', ...(err.requestId !== undefined && { requestId: err.requestId }) };
        }
        throw err instanceof MoovError ? toApplicationFailure(err) : err;
      }
    },
  };
}
