/**
 * A scheduled run, fanned out: one job per partner on the work queue (partner-work.ts runs each),
 * so one slow or failing partner never delays the others and no run handles every partner.
 * Kept apart from the jobs themselves, so the fan-out function loads no planner.
 */
import type { PartnerJob } from '../queue/partner-jobs.js';
import { queuePartnerJobs } from '../queue/work-queue.js';
import { planStore as store } from '../storage/dynamodb/dynamodb-plan-store.js';

export type ScheduledJob = Extract<PartnerJob['job'], 'daily-digest' | 'weekly-digest'>;

/** Queues `job` for every partner, as of `now` (the scheduled time). */
export async function queueScheduledRun(job: ScheduledJob, now: Date): Promise<{ job: ScheduledJob; partners: number }> {
  const at = now.toISOString();
  const jobs: PartnerJob[] = [];
  for await (const partnerId of store.partnerIds()) jobs.push({ job, partnerId, at });
  await queuePartnerJobs(jobs);
  return { job, partners: jobs.length };
}
