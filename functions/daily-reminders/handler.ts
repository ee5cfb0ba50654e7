/** EventBridge daily schedule → one digest e-mail per partner with everything due. */
import type { ScheduledEvent } from 'aws-lambda';
import { type RunSummary, runDailyReminders } from '../../shared/use-cases/daily-reminders.js';

export async function handler(event: Pick<ScheduledEvent, 'time'>): Promise<RunSummary> {
  // "Now" is the event's time, so a simulated clock can drive the schedule.
  return runDailyReminders(new Date(event.time));
}
