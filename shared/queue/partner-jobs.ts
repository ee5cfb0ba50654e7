/**
 * The work the queue carries: one job for one partner. A scheduled run queues a digest job for
 * every partner; a status change queues a re-plan of its partner.
 */
import { z } from 'zod';

const PARTNER_JOB_KINDS = ['daily-digest', 'weekly-digest', 'replan'] as const;

const partnerJobSchema = z.strictObject({
  job: z.enum(PARTNER_JOB_KINDS),
  partnerId: z.string().min(1),
  /** "Now" for the job: the scheduled time of a digest, the time of the change for a re-plan. */
  at: z.iso.datetime(),
});

export type PartnerJob = z.infer<typeof partnerJobSchema>;

/** A message body as a job; throws, naming what is wrong, for anything else. */
export function parsePartnerJob(body: string): PartnerJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error('A work queue message is not JSON.');
  }
  const parsed = partnerJobSchema.safeParse(value);
  if (!parsed.success) throw new Error(`A work queue message is not a partner job: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
