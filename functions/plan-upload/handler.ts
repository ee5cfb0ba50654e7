/** S3 ObjectCreated on uploads/{partnerId}/*.csv → plan each uploaded file. */
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { type Invocation, planUploads, type UploadEvent, type UploadOutcome } from '../../shared/use-cases/plan-upload.js';

export async function handler(event: S3Event, context?: Pick<Context, 'awsRequestId'>): Promise<UploadOutcome[]> {
  return handleS3Event(event, { at: new Date(), requestId: context?.awsRequestId });
}

/** The handler with its invocation given: the local stack passes its simulated clock. */
export async function handleS3Event(event: S3Event, invocation: Invocation): Promise<UploadOutcome[]> {
  return planUploads((event.Records ?? []).map(uploadEvent), invocation);
}

function uploadEvent(record: S3EventRecord): UploadEvent {
  const { key, versionId, eTag, size } = record.s3.object;
  return { bucket: record.s3.bucket.name, encodedKey: key, versionId, eTag, size, eventTime: record.eventTime };
}
