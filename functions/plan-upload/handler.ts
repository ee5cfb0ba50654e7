/**
 * S3 ObjectCreated on uploads/{partnerId}/*.csv → plan. Every record of the event is handled;
 * a record that fails is retried by Lambda with the whole event, which is safe: uploads are
 * claimed by id, so records already planned are skipped, and a claim left by an attempt that
 * died is taken over by Lambda's retry (same request id).
 */
import type { Context, S3Event } from 'aws-lambda';
import { logger } from '../../shared/log.js';
import { type UploadOutcome, decodeS3Key, processUpload } from '../../shared/use-cases/plan-upload.js';
import type { Invocation } from '../../shared/storage/dynamodb/table-client.js';

export async function handler(event: S3Event, context?: Pick<Context, 'awsRequestId'>): Promise<UploadOutcome[]> {
  return handleS3Event(event, { at: new Date(), requestId: context?.awsRequestId });
}

/** The handler with its invocation given: the local stack passes its simulated clock. */
export async function handleS3Event(event: S3Event, invocation: Invocation): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  const failures: unknown[] = [];
  for (const record of event.Records ?? []) {
    const object = record.s3.object;
    const key = decodeS3Key(object.key);
    if (key === undefined) {
      logger.warn('Ignored an event whose key is not URL-encoded', { key: object.key });
      outcomes.push({ outcome: 'ignored' });
      continue;
    }
    try {
      outcomes.push(
        await processUpload(
          { bucket: record.s3.bucket.name, key, versionId: object.versionId, eTag: object.eTag, size: object.size },
          new Date(record.eventTime),
          invocation,
        ),
      );
    } catch (error) {
      logger.error('Upload failed; the event will be retried', { key: object.key, error: error as Error });
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${event.Records.length} uploads failed`);
  return outcomes;
}
