/** EventBridge Scheduler (daily, weekly) → one job per partner on the work queue. */
import { queueScheduledRun, type ScheduledJob } from '../../shared/use-cases/queue-scheduled-run.js';

export interface ScheduledRunEvent {
  /** The scheduled time: "now" for every partner's job, so a simulated clock can drive the schedule. */
  time: string;
  job: ScheduledJob;
}

export async function handler(event: ScheduledRunEvent): Promise<{ job: ScheduledJob; partners: number }> {
  return queueScheduledRun(event.job, new Date(event.time));
}
