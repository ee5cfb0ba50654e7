/** EventBridge weekly schedule (Mondays) → a digest of each partner's whole plan. */
import type { ScheduledEvent } from 'aws-lambda';
import { type RunSummary, runWeeklyDigest } from '../../shared/use-cases/daily-reminders.js';

export async function handler(event: Pick<ScheduledEvent, 'time'>): Promise<RunSummary> {
  return runWeeklyDigest(new Date(event.time));
}
