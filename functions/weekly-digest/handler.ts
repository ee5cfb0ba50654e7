/** EventBridge weekly schedule (Mondays) → a digest of each partner's whole plan. */
import type { ScheduledEvent } from 'aws-lambda';
import { type RunSummary, runWeeklyDigest } from '../../shared/use-cases/weekly-digest.js';

export async function handler(event: Pick<ScheduledEvent, 'time'>): Promise<RunSummary> {
  // "Now" is the event's time, so a simulated clock can drive the schedule.
  return runWeeklyDigest(new Date(event.time));
}
