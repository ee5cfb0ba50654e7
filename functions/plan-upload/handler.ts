/**
 * S3 ObjectCreated on uploads/{partnerId}/*.csv → plan. Every record of the event is handled;
 * a record that fails is retried by Lambda with the whole event, which is safe: uploads are
 * claimed by id, so records already planned are skipped.
 */
import type { S3Event } from 'aws-lambda';
import { logger } from '../../shared/log.js';
import { type UploadOutcome, decodeS3Key, processUpload } from '../../shared/plan-upload.js';

export async function handler(event: S3Event): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  const failures: unknown[] = [];
  for (const record of event.Records ?? []) {
    const object = record.s3.object;
    try {
      outcomes.push(
        await processUpload(
          { bucket: record.s3.bucket.name, key: decodeS3Key(object.key), versionId: object.versionId, eTag: object.eTag, size: object.size },
          new Date(record.eventTime),
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
