/**
 * The scheduled runs, fanned out: the scheduler queues one job per partner, and each job runs on
 * its own (the partner-work function takes them from the queue), so one slow or failing partner
 * never delays the others and no run handles every partner. A job that fails is tried again, then
 * dead-lettered; a digest job run twice sends nothing twice (its e-mail is claimed first).
 */
import { logger } from '../log.js';
import { type PartnerJob, parsePartnerJob } from '../queue/partner-jobs.js';
import { queuePartnerJobs } from '../queue/work-queue.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';
import { dailyDigest } from './daily-reminders.js';
import { replanAfterChanges } from './replan.js';
import { weeklyDigest } from './weekly-digest.js';

export type ScheduledJob = Extract<PartnerJob['job'], 'daily-digest' | 'weekly-digest'>;

/** Queues `job` for every partner, as of `now` (the scheduled time). */
export async function queueScheduledRun(job: ScheduledJob, now: Date): Promise<{ job: ScheduledJob; partners: number }> {
  const at = now.toISOString();
  const jobs: PartnerJob[] = [];
  for await (const partnerId of store.partnerIds()) jobs.push({ job, partnerId, at });
  await queuePartnerJobs(jobs);
  return { job, partners: jobs.length };
}

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
