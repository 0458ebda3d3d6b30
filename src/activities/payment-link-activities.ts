import { Context } from '@temporalio/activity';
import type { UpdatePaymentLinkInput, UpdatedPaymentLink } from '../domain/activity-contracts';
import type { MoovClient } from '../moov';
import { moovCall } from './moov-failure';

export function createPaymentLinkActivities({ moov }: { moov: MoovClient }) {
  return {
    /** PATCH sets fields to given values, so repeating it after a lost answer changes nothing more. */
    async updatePaymentLink({ accountID, code, update }: UpdatePaymentLinkInput): Promise<UpdatedPaymentLink> {
      const { data, requestId } = await moovCall(() => moov.updatePaymentLink(accountID, code, update));
      Context.current().log.info('payment link updated', { accountID, code, requestId });
      return { code: data.code, status: data.status, ...(requestId !== undefined && { requestId }) };
    },
  };
}
