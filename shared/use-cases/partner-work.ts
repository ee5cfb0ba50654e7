/**
 * One partner's job from the work queue (queue-scheduled-run.ts queues the scheduled ones; a
 * status change queues a re-plan). A job that fails is tried again, then dead-lettered; a digest
 * job run twice sends nothing twice (its e-mail is claimed first).
 */
import { logger } from '../log.js';
import { type PartnerJob, parsePartnerJob } from '../queue/partner-jobs.js';
import { dailyDigest } from './daily-reminders.js';
import { replanAfterChanges } from './replan.js';
import { weeklyDigest } from './weekly-digest.js';

export type JobOutcome = 'sent' | 'skipped' | 'planned';

/** Runs one job. Rejects when it failed, so it is tried again. */
export async function runPartnerJob(job: PartnerJob): Promise<JobOutcome> {
  const at = new Date(job.at);
  switch (job.job) {
    case 'daily-digest':
      return dailyDigest(job.partnerId, at);
    case 'weekly-digest':
      return weeklyDigest(job.partnerId, at);
    case 'replan':
      return (await replanAfterChanges(job.partnerId, at)).planned ? 'planned' : 'skipped';
  }
}

export interface QueuedMessage {
  id: string;
  body: string;
  /** How many times the queue has handed it out, this one included. */
  attempt: number;
}

/** Runs each message's job in turn; returns the ids of those that failed, to be tried again. */
export async function runQueuedJobs(messages: readonly QueuedMessage[]): Promise<string[]> {
  const failed: string[] = [];
  for (const message of messages) {
    let job: PartnerJob | undefined;
    try {
      job = parsePartnerJob(message.body);
      const outcome = await runPartnerJob(job);
      logger.info('Partner job done', { ...job, outcome });
    } catch (error) {
      logger.error('Partner job failed; the queue tries it again', {
        ...job,
        messageId: message.id,
        attempt: message.attempt,
        error: error as Error,
      });
      failed.push(message.id);
    }
  }
  return failed;
}
