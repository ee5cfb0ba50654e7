/**
 * After a status change, the partner's plan is planned again within minutes, through the work
 * queue. Coalesced: a change asks for a re-plan only when none is asked for since the last one
 * began, and the request waits a minute (REPLAN_DELAY_SECONDS) for the changes that follow it, so
 * a burst of clicks is one re-plan. A deployment with no queue, or a request that fails, leaves it
 * to the next daily run, which plans again any partner with a change since its plan.
 */
import { PARTNER_WORK_TIMEOUT_MINUTES, REPLAN_DELAY_SECONDS } from '../config/service.js';
import { logger } from '../log.js';
import { queuePartnerJobs, workQueueUrl } from '../queue/work-queue.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';

/** A request older than a delay and a whole run of the function was lost: the next change asks again. */
const REQUEST_LOST_AFTER_MS = (REPLAN_DELAY_SECONDS + 60 * (PARTNER_WORK_TIMEOUT_MINUTES + 5)) * 1000;

/** Records that the partner's statuses changed at `now`, and asks for a re-plan unless one is on its way. */
export async function statusesChanged(partnerId: string, now: Date): Promise<void> {
  const first = await store.recordStatusChanged(partnerId, now, new Date(now.getTime() - REQUEST_LOST_AFTER_MS));
  if (!first || !workQueueUrl()) return;
  try {
    await queuePartnerJobs([{ job: 'replan', partnerId, at: now.toISOString() }], replanDelaySeconds());
  } catch (error) {
    logger.warn('Re-plan not queued: the next daily run plans the partner again', { partnerId, error: error as Error });
  }
}

/** The wait before a re-plan; the local stack's simulated days set it to 0 (REPLAN_DELAY_SECONDS). */
function replanDelaySeconds(): number {
  const setting = process.env.REPLAN_DELAY_SECONDS;
  const value = setting ? Number(setting) : Number.NaN;
  return Number.isInteger(value) && value >= 0 && value <= 900 ? value : REPLAN_DELAY_SECONDS;
}
