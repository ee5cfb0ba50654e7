/**
 * SQS work queue → one partner's job (a digest, a re-plan). A failed job is reported alone, so
 * the others of the batch are not run again; SQS retries it, then moves it to the dead-letter queue.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runQueuedJobs } from '../../shared/use-cases/partner-work.js';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failed = await runQueuedJobs(
    event.Records.map((r) => ({ id: r.messageId, body: r.body, attempt: Number(r.attributes.ApproximateReceiveCount) })),
  );
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
