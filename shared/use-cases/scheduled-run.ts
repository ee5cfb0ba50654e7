/**
 * What the daily and weekly runs share: one e-mail per partner, each partner's failure kept from
 * the others, and e-mails claimed before they are sent so that none goes twice.
 */
import { logger } from '../log.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import type { OnceMail } from '../storage/plan-store.js';

export interface RunSummary {
  partners: number;
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * Runs `digest` for each partner. A partner whose digest fails does not stop the others; the run
 * then fails as a whole (the function's error alarm), and the next run sends what was not sent.
 */
export async function forEachPartner(
  partnerIds: AsyncIterable<string> | Iterable<string>,
  digest: (partnerId: string) => Promise<'sent' | 'skipped'>,
  what: string,
): Promise<RunSummary> {
  const summary: RunSummary = { partners: 0, sent: 0, skipped: 0, failed: 0 };
  const failures: unknown[] = [];
  for await (const partnerId of partnerIds) {
    summary.partners++;
    try {
      summary[await digest(partnerId)]++;
    } catch (error) {
      summary.failed++;
      failures.push(error);
      logger.error(`${what} failed; the next run retries it`, { partnerId, error: error as Error });
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} ${what.toLowerCase()}s failed`);
  return summary;
}

/**
 * Sends a claimed e-mail. Only a send SES refused marks the claim `failed` (the next run takes it
 * again); once SES has accepted the message, a failure to record that leaves the claim `sending`,
 * which counts as sent: marking it `failed` then would send the e-mail twice.
 */
export async function sendClaimed(partnerId: string, mail: OnceMail, send: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await send();
  } catch (error) {
    await store.recordMail(partnerId, mail, 'failed', { error: String(error) });
    throw error;
  }
}
