/**
 * The partners' work queue (SQS): jobs are sent in batches of ten, and an entry SQS did not take
 * (a failure on its side) is sent again after a short backoff, so no partner is left out of a run.
 */
import { randomUUID } from 'node:crypto';
import type * as Sqs from '@aws-sdk/client-sqs';
import { clientConfig } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';
import type { PartnerJob } from './partner-jobs.js';

const { SQSClient, SendMessageBatchCommand } = requireSdk<typeof Sqs>('@aws-sdk/client-sqs');

const sqs = new SQSClient(clientConfig());

const BATCH = 10;
const MAX_ATTEMPTS = 5;

/** The queue's URL, when this deployment has one (the stack sets WORK_QUEUE_URL). */
export function workQueueUrl(): string | undefined {
  return process.env.WORK_QUEUE_URL || undefined;
}

/** Queues the jobs, each visible after `delaySeconds`. Rejects when the queue or a job is refused. */
export async function queuePartnerJobs(jobs: readonly PartnerJob[], delaySeconds = 0): Promise<void> {
  const url = workQueueUrl();
  if (!url) throw new Error('Environment variable WORK_QUEUE_URL is not set.');
  for (let start = 0; start < jobs.length; start += BATCH) {
    let entries = jobs
      .slice(start, start + BATCH)
      .map((job) => ({ Id: randomUUID(), MessageBody: JSON.stringify(job), DelaySeconds: delaySeconds }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      const refused = Failed.filter((f) => f.SenderFault);
      if (refused.length > 0) throw new Error(`The work queue refused a job: ${refused[0]!.Code ?? ''} ${refused[0]!.Message ?? ''}`);
      if (Failed.length > 0 && attempt === MAX_ATTEMPTS) throw new Error(`The work queue did not take ${Failed.length} jobs.`);
      const failed = new Set(Failed.map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
      if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
